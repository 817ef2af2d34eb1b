/**
 * `npm run reconcile`: the nightly reconciliation, once, now (DESIGN 1.6) — channels renewed
 * or created, every connected calendar synced, upcoming bookings checked — with a progress
 * line and a summary of what was fixed. Works on DATABASE_URL or the embedded database
 * under DATA_DIR. Without GOOGLE_CLIENT_ID it talks to the Google emulator on EMULATOR_PORT,
 * which `npm start` (or `npm run emulator`) must be running.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../src/config';
import { createGoogleAccess } from '../src/connections/google-access';
import { openDatabase, type Database } from '../src/db/database';
import { createKnex } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrations';
import { withDevelopmentSecrets } from '../src/dev-secrets';
import { createGoogleOAuth, googleEndpoints } from '../src/google';
import { createLogger } from '../src/logger';
import { runNightly } from '../src/nightly/nightly-job';
import { formatNightlySummary } from '../src/nightly/nightly-summary';
import { syncMetricsFor } from '../src/sync/sync-metrics';
import { CALENDAR_WEBHOOK_PATH } from '../src/webhooks/calendar-webhook-routes';

/** What `npm start` uses for the in-process emulator (src/service.ts); the emulator accepts any. */
const EMULATOR_CLIENT = { clientId: 'interview-scheduler.apps.emulator', clientSecret: 'emulator-secret' };
const GOOGLE_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = withDevelopmentSecrets(loadConfig(process.env));
  // Warnings only: the progress line and the summary are the output.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const database =
    (await runningEmbeddedDatabase(config)) ??
    (await openDatabase(config.databaseUrl, config.dataDir, () => {}));
  const knex = createKnex(database.url, 3);
  try {
    await migrateToLatest(knex);
    const endpoints = config.google
      ? googleEndpoints()
      : googleEndpoints(`http://127.0.0.1:${config.emulator.port}`);
    const oauth = createGoogleOAuth({
      ...(config.google ?? EMULATOR_CLIENT),
      redirectUri: `${config.publicUrl}/auth/google/callback`,
      endpoints,
      timeoutMs: GOOGLE_TIMEOUT_MS,
    });
    const access = createGoogleAccess({
      knex,
      oauth,
      keys: config.tokenEncryptionKeys,
      rootUrl: endpoints.rootUrl,
      timeoutMs: GOOGLE_TIMEOUT_MS,
      logger,
    });
    const channels = { knex, logger, webhookUrl: `${config.publicUrl}${CALENDAR_WEBHOOK_PATH}` };
    console.log('Reconciling every connected calendar with Google…');
    const report = await runNightly(
      { knex, logger, access, channels, metrics: syncMetricsFor(knex) },
      { onProgress: (done, total) => process.stdout.write(`\r  ${done}/${total} calendars`) },
    );
    if (report === 'busy') {
      console.log('Another reconciliation is running (the nightly job, or another `npm run reconcile`).');
      process.exitCode = 2;
      return;
    }
    console.log(`\n${formatNightlySummary(report)}`);
    if (report.failures.length > 0) process.exitCode = 1;
  } finally {
    await knex.destroy();
    await database.stop();
  }
}

/**
 * With the emulator, `npm start` must run — and then so does its embedded PostgreSQL. Starting
 * the cluster again from here would stop the service's server (it would look orphaned), so
 * the running one is used: its port is in postmaster.pid, its password beside the data.
 */
async function runningEmbeddedDatabase(config: Readonly<Config>): Promise<Database | undefined> {
  if (config.databaseUrl) return undefined;
  const clusterDir = path.resolve(config.dataDir, 'postgres');
  const pidFile = path.join(clusterDir, 'pgdata', 'postmaster.pid');
  const secretsFile = path.join(clusterDir, 'postgres.json');
  if (!fs.existsSync(pidFile) || !fs.existsSync(secretsFile)) return undefined;
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  const { password } = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { password: string };
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/interview_scheduler`;
  return { url, embedded: true, stop: async () => {} };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof ConfigError ? `Configuration error: ${message}` : `Reconciliation failed: ${message}`,
  );
  process.exit(1);
});
