import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Logger } from '../logger';
import { defaultDatabaseTimeouts, pgTimeouts, type DatabaseTimeouts } from './timeouts';

// Counts come back as bigint strings otherwise; our counts fit comfortably in a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// A `date` is a calendar date in some time zone, not an instant: keep it as 'YYYY-MM-DD'
// rather than let pg turn it into a Date at the server process's local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

// knex's PostgreSQL client; a connection whose query pg gave up on is dropped (below).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const PostgresClient = require('knex/lib/dialects/postgres') as new (config: Knex.Config) => object;

interface PgConnection {
  __knex__disposed?: unknown;
  connection?: { stream?: { destroy(): void } };
}

/**
 * When pg's `query_timeout` fires, the query has been sent and the connection is still
 * waiting for its answer: every later query on it would queue behind. It is cut at once —
 * the ROLLBACK knex sends next then fails fast, and the pool replaces the connection.
 */
class TimeoutAwarePostgresClient extends PostgresClient {
  _query(connection: PgConnection, obj: unknown): Promise<unknown> {
    const query = (PostgresClient.prototype as { _query: (c: PgConnection, o: unknown) => Promise<unknown> })
      ._query;
    return query.call(this, connection, obj).catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Query read timeout') {
        connection.__knex__disposed = error;
        connection.connection?.stream?.destroy();
      }
      throw error;
    });
  }
}

/** Knex on PostgreSQL; its own warnings go to our logger (or nowhere) rather than console. */
export function createKnex(
  databaseUrl: string,
  poolMax = 10,
  logger?: Logger,
  timeouts: DatabaseTimeouts = defaultDatabaseTimeouts,
): Knex {
  const log = (level: 'warn' | 'error' | 'debug') => (message: unknown) =>
    logger?.[level]({ component: 'knex' }, String(message));
  return knexFactory({
    client: TimeoutAwarePostgresClient as unknown as typeof Knex.Client,
    connection: {
      connectionString: databaseUrl,
      application_name: 'interview-scheduler',
      ...pgTimeouts(timeouts),
    },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: timeouts.acquireMs,
    log: { warn: log('warn'), error: log('error'), debug: log('debug'), deprecate: log('warn') },
  });
}

/**
 * A one-connection knex for migrations: a schema change may rightly take longer than any
 * request's statement timeout (a new index on a large table), so it runs without one.
 */
export function createMigrationKnex(
  databaseUrl: string,
  logger?: Logger,
  timeouts: DatabaseTimeouts = defaultDatabaseTimeouts,
): Knex {
  return createKnex(databaseUrl, 1, logger, { ...timeouts, statementMs: 0 });
}
