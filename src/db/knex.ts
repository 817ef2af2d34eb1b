import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// timestamptz → Date and bigint counts → number are what the repositories expect.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createKnex(databaseUrl: string, poolMax = 10): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'interview-scheduler' },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
  });
}
