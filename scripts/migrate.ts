/**
 * `npm run migrate` / `npm run migrate:rollback`: the same migrations `npm start` runs, on
 * DATABASE_URL or on the embedded PostgreSQL under DATA_DIR (started for the duration).
 */
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createMigrationKnex } from '../src/db/knex';
import { migrationConfig } from '../src/db/migrations';

async function main(command: string | undefined): Promise<void> {
  if (command !== 'latest' && command !== 'rollback') {
    throw new ConfigError(
      'usage: migrate latest|rollback (npm run migrate, or node dist/scripts/migrate.js)',
    );
  }
  const config = loadConfig(process.env);
  const database = await openDatabase(config.databaseUrl, config.dataDir, () => {});
  const knex = createMigrationKnex(database.url, undefined, config.databaseTimeouts);
  try {
    if (command === 'latest') {
      const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]];
      console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
    } else {
      const [, undone] = (await knex.migrate.rollback(migrationConfig)) as [number, string[]];
      console.log(undone.length > 0 ? `Rolled back: ${undone.join(', ')}` : 'Nothing to roll back.');
    }
  } finally {
    await knex.destroy();
    await database.stop();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof ConfigError ? `Configuration error: ${message}` : `Migration failed: ${message}`,
  );
  process.exit(1);
});
