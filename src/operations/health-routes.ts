import type { Knex } from 'knex';
import { z } from 'zod';
import { migrationsAreCurrent } from '../db/migrations';
import { databaseUnavailableReason } from '../db/unavailable';
import type { RouteTable } from '../http/route-table';
import { DATABASE_RETRY_AFTER_SECONDS, Unavailable } from '../http/problem';

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({
  status: z.literal('ready'),
  checks: z.object({ database: z.literal('ok'), migrations: z.literal('current') }),
});

/**
 * @param readyTimeoutMs How long /readyz waits for the database before it answers 503
 *   "did not answer within …": a probe must not hang on a stalled database.
 */
export function registerHealthRoutes(
  table: RouteTable,
  knex: Knex,
  readyTimeoutMs: number,
  /** Why Google refuses the service's OAuth client, when it does (not ready: nothing Google works). */
  googleClientProblem: () => string | undefined = () => undefined,
): void {
  table.add({
    method: 'get',
    path: '/healthz',
    summary: 'The process is up',
    tags: ['operations'],
    responses: { 200: { description: 'Up', schema: HealthSchema } },
    handler: ({ res }) => res.json({ status: 'ok' }),
  });

  table.add({
    method: 'get',
    path: '/readyz',
    summary: "The database answers, every migration has run, and Google accepts the service's OAuth client",
    tags: ['operations'],
    responses: {
      200: { description: 'Ready for traffic', schema: ReadySchema },
      503: { description: 'Not ready', contentType: 'application/problem+json' },
    },
    handler: async ({ res }) => {
      const current = await withinMs(
        (async () => {
          await knex.raw('select 1');
          return migrationsAreCurrent(knex);
        })(),
        readyTimeoutMs,
      ).catch((error: unknown) => {
        const reason =
          error instanceof DidNotAnswer
            ? `database did not answer within ${readyTimeoutMs} ms`
            : (databaseUnavailableReason(error) ?? 'the database cannot be reached');
        throw new Unavailable(`Not ready: ${reason}.`, 'not-ready', DATABASE_RETRY_AFTER_SECONDS);
      });
      if (!current) throw new Unavailable('Database migrations are pending.', 'not-ready');
      const googleProblem = googleClientProblem();
      if (googleProblem) throw new Unavailable(`Not ready: ${googleProblem}`, 'not-ready');
      res.json({ status: 'ready', checks: { database: 'ok', migrations: 'current' } });
    },
  });
}

class DidNotAnswer extends Error {}

/** The check's answer, or DidNotAnswer after `ms`; the check itself ends on its own timeouts. */
function withinMs<T>(check: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DidNotAnswer()), ms);
  });
  // A check that fails after the deadline has nobody left to tell.
  check.catch(() => {});
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}
