import { createKnex, createMigrationKnex } from '../../src/db/knex';
import { databaseUnavailableReason } from '../../src/db/unavailable';
import { createTestDatabase, type TestDatabase } from '../support/database';

/** Real driver errors, so the mapping to 503 matches what pg and knex actually throw. */
describe('Which database failures mean "unavailable, retry later"', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const failureOf = (work: () => Promise<unknown>) =>
    work().then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => error,
    );

  test('When a statement runs past the statement timeout, then it is a timed-out statement (57014)', async () => {
    const quick = createKnex(db.url, 1, undefined, { connectMs: 2000, acquireMs: 2000, statementMs: 200 });
    try {
      const error = await failureOf(() => quick.raw('select pg_sleep(2)'));
      expect(databaseUnavailableReason(error)).toBe('a database statement timed out');
    } finally {
      await quick.destroy();
    }
  });

  test('When a migration runs longer than the statement timeout, then it still completes (migrations have no statement limit)', async () => {
    const migrator = createMigrationKnex(db.url, undefined, {
      connectMs: 2000,
      acquireMs: 2000,
      statementMs: 200,
    });
    try {
      const { rows } = await migrator.raw<{ rows: { timeout: string }[] }>(
        "select pg_sleep(0.6), current_setting('statement_timeout') as timeout",
      );
      expect(rows[0]!.timeout).toBe('0');
    } finally {
      await migrator.destroy();
    }
  });

  test('When the server terminates the connection (shutdown, 57P01), then it is unavailable', async () => {
    const doomed = createKnex(db.url, 1);
    try {
      const error = await failureOf(() => doomed.raw('select pg_terminate_backend(pg_backend_pid())'));
      expect(databaseUnavailableReason(error)).toBe('the database is shutting down or starting up');
    } finally {
      await doomed.destroy();
    }
  });

  test('When every pooled connection is busy past the acquire timeout, then the pool timeout counts', async () => {
    const small = createKnex(db.url, 1, undefined, { connectMs: 2000, acquireMs: 300, statementMs: 5000 });
    try {
      // A knex query starts when it is awaited or then'd: this one holds the only connection.
      const busy = small.raw('select pg_sleep(1)').then(() => undefined);
      const error = await failureOf(() => small.raw('select 1'));
      await busy;
      expect(databaseUnavailableReason(error)).toBe('no database connection became free in time');
    } finally {
      await small.destroy();
    }
  });

  test('When the connection is refused, then it names the cause', async () => {
    const nowhere = createKnex('postgres://nobody@127.0.0.1:1/none', 1);
    try {
      const error = await failureOf(() => nowhere.raw('select 1'));
      expect(databaseUnavailableReason(error)).toBe('the database connection failed (ECONNREFUSED)');
    } finally {
      await nowhere.destroy();
    }
  });

  test('When a query is simply wrong (or fails on its data), then it is not "unavailable"', async () => {
    const syntax = await failureOf(() => db.knex.raw('selec 1'));
    const divisionByZero = await failureOf(() =>
      db.knex.raw('select * from (values (1)) as t(x) where 1 / 0 = 1'),
    );
    expect(databaseUnavailableReason(syntax)).toBeUndefined();
    expect(databaseUnavailableReason(divisionByZero)).toBeUndefined();
    expect(databaseUnavailableReason(new Error('something else'))).toBeUndefined();
  });
});
