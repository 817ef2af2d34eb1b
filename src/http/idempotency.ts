import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { AppError, Conflict } from './problem';

export const IdempotencyKeySchema = z
  .string()
  .min(8, 'must be 8 to 200 characters')
  .max(200, 'must be 8 to 200 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Longer than any request may take (the booking's Google budget is 8 s). */
const ABANDONED_AFTER_MS = 120_000;

/**
 * How long a kept answer is given again: far longer than any retry of a request (a browser
 * retries within seconds, a participant within minutes); after that the key is forgotten.
 */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600_000;

/** Keys older than the retention, swept by housekeeping. */
export async function deleteIdempotencyKeysBefore(knex: Knex, before: Date): Promise<number> {
  return knex('idempotency_keys').where('created_at', '<', before).delete();
}

export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * `Idempotency-Key`: the first successful answer to a request is kept and given again to
 * any repeat of it (a participant double-clicking, a browser retrying after a timeout). A
 * failed request keeps nothing, so it may simply be tried again; the same key with a
 * different request is refused.
 */
export async function withIdempotency(
  knex: Knex,
  request: { scope: string; key: string | undefined; body: unknown },
  run: () => Promise<StoredAnswer>,
): Promise<StoredAnswer & { replayed: boolean }> {
  if (request.key === undefined) return { ...(await run()), replayed: false };
  const requestHash = createHash('sha256').update(JSON.stringify(request.body)).digest('hex');
  const claimed = await knex('idempotency_keys')
    .insert({ scope: request.scope, key: request.key, request_hash: requestHash })
    .onConflict(['scope', 'key'])
    .ignore()
    .returning('key');
  if (claimed.length === 0) {
    const stored = await knex('idempotency_keys').where({ scope: request.scope, key: request.key }).first();
    if (stored && stored.request_hash !== requestHash) {
      throw new AppError(
        422,
        'Unprocessable Content',
        'This Idempotency-Key was already used for a different request.',
      );
    }
    if (!stored || stored.response_status === null) {
      // A claim left by a process that died mid-request would otherwise block the key forever.
      const abandoned = stored && Date.now() - new Date(stored.created_at).getTime() > ABANDONED_AFTER_MS;
      if (!abandoned) {
        throw new Conflict(
          'A request with this Idempotency-Key is still being processed.',
          'request-in-progress',
        );
      }
      await knex('idempotency_keys').where({ scope: request.scope, key: request.key }).delete();
      return withIdempotency(knex, request, run);
    }
    return { status: stored.response_status, body: stored.response_body, replayed: true };
  }
  try {
    const answer = await run();
    await knex('idempotency_keys')
      .where({ scope: request.scope, key: request.key })
      .update({ response_status: answer.status, response_body: JSON.stringify(answer.body) });
    return { ...answer, replayed: false };
  } catch (error) {
    await knex('idempotency_keys').where({ scope: request.scope, key: request.key }).delete();
    throw error;
  }
}
