/**
 * The service under measurement, started in this process for now (the webhook, coalesce and
 * reconcile cases). Kept to this one function so it can be swapped for the shared child-process
 * start-up: the cases only use what `BenchService` offers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config';
import { withDevelopmentSecrets } from '../../../src/dev-secrets';
import { createLogger } from '../../../src/logger';
import { freePort } from '../../../src/net/free-port';
import { startService } from '../../../src/service';
import type { Knex } from 'knex';

export interface BenchService {
  url: string;
  emulatorUrl: string;
  /** For seeding and for reading results; what is measured goes through HTTP. */
  knex: Knex;
  stop(): Promise<void>;
}

export async function startBenchService(env: Record<string, string> = {}): Promise<BenchService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const config = withDevelopmentSecrets(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMULATOR_PORT: '0',
      EMULATOR_AUTO_APPROVE: '1',
      LOG_LEVEL: 'silent',
      BOOKING_RATE_LIMIT_PER_ADDRESS: '1000000',
      BOOKING_RATE_LIMIT_PER_LINK: '1000000',
      ...env,
    }),
  );
  const service = await startService(config, createLogger('silent'));
  return {
    url: service.url,
    emulatorUrl: service.emulatorUrl ?? '',
    knex: service.knex,
    async stop() {
      await service.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
