/**
 * The service under measurement, started in this process for now (the webhook, coalesce and
 * reconcile cases), composed as `startService` composes it (embedded PostgreSQL in a fresh
 * DATA_DIR, migrations, job queue and workers, the HTTP app) — except that the Google emulator
 * keeps its state in memory only: its state file is rewritten after every write today, which
 * would make seeding thousands of events take minutes (another change moves that off the hot
 * path). Kept to this one function so the shared child-process start-up can replace it: the
 * cases use only what `BenchService` offers (URLs, the database, the config for its secrets).
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { buildApp } from '../../../src/app';
import { loadConfig, type Config } from '../../../src/config';
import { openDatabase } from '../../../src/db/database';
import { createKnex, createMigrationKnex } from '../../../src/db/knex';
import { migrateToLatest } from '../../../src/db/migrations';
import { withDevelopmentSecrets } from '../../../src/dev-secrets';
import { createGoogleEmulator } from '../../../src/emulator';
import { createFeatures, EMULATOR_GOOGLE_CLIENT, startWorkers } from '../../../src/features';
import { googleEndpoints } from '../../../src/google';
import { createMetrics } from '../../../src/http/metrics';
import { createJobQueue } from '../../../src/jobs/queue';
import { createLogger } from '../../../src/logger';
import { freePort } from '../../../src/net/free-port';
import { stopSyncWorkers } from '../../../src/sync/sync-feature';

export interface BenchService {
  url: string;
  emulatorUrl: string;
  databaseUrl: string;
  config: Readonly<Config>;
  /** For seeding and for reading results; what is measured goes through the real code. */
  knex: Knex;
  stop(): Promise<void>;
}

export async function startBenchService(env: Record<string, string> = {}): Promise<BenchService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const config = withDevelopmentSecrets(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      EMULATOR_AUTO_APPROVE: '1',
      LOG_LEVEL: 'silent',
      NIGHTLY_CRON: 'off',
      BOOKING_RATE_LIMIT_PER_ADDRESS: '1000000',
      BOOKING_RATE_LIMIT_PER_LINK: '1000000',
      ...env,
    }),
  );
  const logger = createLogger('silent');
  const stack: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stack.length > 0) await stack.pop()?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const database = await openDatabase(config.databaseUrl, dataDir, () => {});
    stack.push(() => database.stop());
    const knex = createKnex(database.url, 10, logger, config.databaseTimeouts);
    stack.push(() => knex.destroy());
    const migrator = createMigrationKnex(database.url, logger, config.databaseTimeouts);
    await migrateToLatest(migrator).finally(() => migrator.destroy());
    const emulator = createGoogleEmulator({ autoApprove: true, allowHttpPushOnLoopback: true });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    stack.push(() => emulator.close());
    const queue = createJobQueue({ databaseUrl: database.url, logger, timeouts: config.databaseTimeouts });
    const features = createFeatures({
      config,
      knex,
      logger,
      queue,
      endpoints: googleEndpoints(emulatorUrl),
      googleClient: EMULATOR_GOOGLE_CLIENT,
      emulatorUrl,
    });
    await queue.start();
    let closeMail = async () => {};
    stack.push(() => closeMail());
    stack.push(() => queue.stop({ timeoutMs: 5000 }));
    stack.push(() => stopSyncWorkers(features));
    closeMail = await startWorkers(features, database.url);
    const app = buildApp({ config, logger, knex, metrics: createMetrics(), features });
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
    });
    stack.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    return { url: `http://127.0.0.1:${port}`, emulatorUrl, databaseUrl: database.url, config, knex, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signs a researcher in through the emulator's consent (auto-approved); returns API headers. */
export async function signInResearcher(
  service: BenchService,
  email: string,
): Promise<{ researcherId: string; headers: Record<string, string> }> {
  await fetch(`${service.emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: email.split('@')[0] }),
  });
  const start = await fetch(`${service.url}/auth/google?login_hint=${encodeURIComponent(email)}`, {
    redirect: 'manual',
  });
  const nonce = cookiesOf(start);
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: nonce },
  });
  const cookie = cookiesOf(callback);
  const created = await fetch(`${service.url}/api/me/tokens`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!created.ok) throw new Error(`sign-in of ${email}: ${created.status} ${await created.text()}`);
  const headers = {
    authorization: `Bearer ${((await created.json()) as { token: string }).token}`,
    'content-type': 'application/json',
  };
  const row = (await service
    .knex('google_connections')
    .join('researchers', 'researchers.id', 'google_connections.researcher_id')
    .where('researchers.email', email)
    .first('google_connections.researcher_id')) as { researcher_id: string } | undefined;
  if (!row) throw new Error(`no connection for ${email}`);
  return { researcherId: row.researcher_id, headers };
}

function cookiesOf(answer: Response): string {
  return answer.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

/** Polls until `check` answers true (bench set-up and drains), or fails after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs a case file on its own: its table, then its JSON keys. */
export function runAlone(run: () => Promise<import('./types').BenchCase>): void {
  run()
    .then((result) => {
      console.log(result.title);
      for (const row of result.rows) {
        console.log(
          `  ${row.label.padEnd(58)} ${row.value.padStart(14)}${row.goal ? `   goal ${row.goal}` : ''}`,
        );
      }
      console.log(JSON.stringify(result.keys));
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
