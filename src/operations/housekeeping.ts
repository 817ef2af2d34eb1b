import type { Knex } from 'knex';
import { deleteExpiredSessions } from '../auth/session-repository';
import { deleteIdempotencyKeysBefore, IDEMPOTENCY_RETENTION_MS } from '../http/idempotency';
import { deleteRateCountsBefore } from '../http/rate-count-repository';

export interface SweepReport {
  sessions: number;
  idempotencyKeys: number;
  rateLimitCounts: number;
}

/** Rate limit windows are one minute; an hour leaves every instance long done with them. */
const RATE_COUNT_RETENTION_MS = 3600_000;

/**
 * Rows that only serve for a while — expired sessions, kept answers to idempotent
 * requests, old rate limit windows — deleted, so that these tables stay the size of their
 * recent use however long the service runs. Run with the nightly reconciliation.
 */
export async function sweepExpiredRows(knex: Knex, now: Date): Promise<SweepReport> {
  return {
    sessions: await deleteExpiredSessions(knex, now),
    idempotencyKeys: await deleteIdempotencyKeysBefore(
      knex,
      new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS),
    ),
    rateLimitCounts: await deleteRateCountsBefore(knex, new Date(now.getTime() - RATE_COUNT_RETENTION_MS)),
  };
}
