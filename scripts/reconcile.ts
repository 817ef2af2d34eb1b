/**
 * `npm run reconcile`: the nightly reconciliation, once, now (DESIGN 1.6) — channels renewed
 * or created, every connected calendar synced, upcoming bookings checked — with a progress
 * line and a summary of what was fixed. Works on DATABASE_URL or the embedded database
 * under DATA_DIR. Without GOOGLE_CLIENT_ID it talks to the Google emulator at GOOGLE_EMULATOR_URL,
 * else on EMULATOR_PORT, which `npm start` (or `npm run emulator`) must be running.
 */
import { ConfigError, loadConfig } from '../src/config';
import { openDatabase, runningEmbeddedDatabase } from '../src/db/database';
import { createKnex } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrations';
import { withDevelopmentSecrets } from '../src/dev-secrets';
import { createGoogleServices, EMULATOR_GOOGLE_CLIENT, webhookUrl } from '../src/features';
import { googleEndpoints } from '../src/google';
import { createJobQueue } from '../src/jobs/queue';
import { createLogger } from '../src/logger';
import { runNightly } from '../src/nightly/nightly-job';
import { formatNightlySummary } from '../src/nightly/nightly-summary';
import { syncMetricsFor } from '../src/sync/sync-metrics';

async function main(): Promise<void> {
  const config = withDevelopmentSecrets(loadConfig(process.env));
  // Warnings only: the progress line and the summary are the output.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  // With the emulator, `npm start` must run — and then so does its embedded PostgreSQL,
  // which is used as it is rather than started again from here.
  const database =
    (config.databaseUrl ? undefined : runningEmbeddedDatabase(config.dataDir)) ??
    (await openDatabase(config.databaseUrl, config.dataDir, () => {}));
  const knex = createKnex(database.url, 3);
  // Jobs found here (a declined interview's event to delete) are run by the service's workers.
  const queue = createJobQueue({ databaseUrl: database.url, logger, poolMax: 2 });
  await queue.start();
  try {
    await migrateToLatest(knex);
    const endpoints = config.google
      ? googleEndpoints()
      : googleEndpoints(config.emulator.url ?? `http://127.0.0.1:${config.emulator.port}`);
    const { access } = createGoogleServices({
      config,
      knex,
      logger,
      endpoints,
      googleClient: config.google ?? EMULATOR_GOOGLE_CLIENT,
    });
    const channels = { knex, logger, webhookUrl: webhookUrl(config) };
    console.log('Reconciling every connected calendar with Google…');
    const report = await runNightly(
      { knex, logger, access, queue, channels, metrics: syncMetricsFor(knex) },
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
    await queue.stop();
    await knex.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    error instanceof ConfigError ? `Configuration error: ${message}` : `Reconciliation failed: ${message}`,
  );
  process.exit(1);
});
