import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../logger';

// Counts come back as bigint strings otherwise; our counts fit comfortably in a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// A `date` is a calendar date in some time zone, not an instant: keep it as 'YYYY-MM-DD'
// rather than let pg turn it into a Date at the server process's local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/** Knex on PostgreSQL; its own warnings go to our logger (or nowhere) rather than console. */
export function createKnex(databaseUrl: string, poolMax = 10, logger?: Logger): Knex {
  const log = (level: 'warn' | 'error' | 'debug') => (message: unknown) =>
    logger?.[level]({ component: 'knex' }, String(message));
  return knexFactory({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'interview-scheduler' },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
    log: { warn: log('warn'), error: log('error'), debug: log('debug'), deprecate: log('warn') },
  });
}
