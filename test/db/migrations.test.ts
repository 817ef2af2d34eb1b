import { migrateToLatest, migrationConfig, migrationsAreCurrent } from '../../src/db/migrations';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('The migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  test('When every migration is rolled back, then no table of ours is left and readiness reports it', async () => {
    await db.knex.migrate.rollback(migrationConfig, true);

    const tables = await db.knex('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
    expect(tables.filter((name: string) => !name.startsWith('knex_migrations'))).toEqual([]);
    expect(await migrationsAreCurrent(db.knex)).toBe(false);
  });

  test('When migrated again after a rollback, then the whole schema comes back', async () => {
    const applied = await migrateToLatest(db.knex);

    expect(applied.length).toBeGreaterThan(0);
    expect(await migrationsAreCurrent(db.knex)).toBe(true);
    const tables = await db.knex('pg_tables').where({ schemaname: 'public' }).pluck('tablename');
    expect(tables).toEqual(
      expect.arrayContaining(['researchers', 'studies', 'participants', 'bookings', 'status_history']),
    );
  });
});
