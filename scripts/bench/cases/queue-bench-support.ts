/**
 * What the queue benchmarks (emails, finish-booking jobs) share: the service under test, a
 * researcher signed in through the emulator, a study, and an SMTP server that counts.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../../../src/config';
import { withDevelopmentSecrets } from '../../../src/dev-secrets';
import { createLogger } from '../../../src/logger';
import { freePort } from '../../../src/net/free-port';
import { startService } from '../../../src/service';
import type { BenchCase } from './types';

export interface BenchService {
  url: string;
  emulatorUrl: string;
  stop(): Promise<void>;
}

/**
 * The service as `npm start` composes it, on a fresh DATA_DIR, with `env` on top.
 * In-process for now (the shared support for running it as a child process is not on this
 * branch yet): this is the one function to swap for it.
 */
export async function startBenchService(env: Record<string, string>): Promise<BenchService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const config = withDevelopmentSecrets(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMULATOR_PORT: '0',
      EMULATOR_AUTO_APPROVE: '1',
      LOG_LEVEL: 'silent',
      // One client makes every request here: the public rate limits would stop the benchmark.
      BOOKING_RATE_LIMIT_PER_ADDRESS: '1000000',
      BOOKING_RATE_LIMIT_PER_LINK: '1000000',
      JSON_BODY_LIMIT: '1mb',
      ...env,
    }),
  );
  const service = await startService(config, createLogger('silent'));
  return {
    url: service.url,
    emulatorUrl: service.emulatorUrl ?? '',
    stop: async () => {
      await service.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CountingSmtpServer {
  url: string;
  /** Message-IDs of the messages accepted, in order (a repeat would show twice). */
  messageIds: string[];
  /** Called with the count after each accepted message. */
  onMessage: (count: number) => void;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that accepts everything and remembers each Message-ID. */
export async function startCountingSmtpServer(): Promise<CountingSmtpServer> {
  const handle: CountingSmtpServer = {
    url: '',
    messageIds: [],
    onMessage: () => {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 100,
    size: 1_000_000,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        handle.messageIds.push(/^message-id:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? '');
        handle.onMessage(handle.messageIds.length);
        callback(null, 'Queued');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  handle.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return handle;
}

/** Signs a researcher in through the emulator's consent; returns headers with an API token. */
export async function signIn(service: BenchService, email: string): Promise<Record<string, string>> {
  await fetch(`${service.emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Bench Researcher' }),
  });
  const start = await fetch(`${service.url}/auth/google?login_hint=${encodeURIComponent(email)}`, {
    redirect: 'manual',
  });
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: cookiesOf(start) },
  });
  const created = await json<{ token: string }>(
    fetch(`${service.url}/api/me/tokens`, {
      method: 'POST',
      headers: { cookie: cookiesOf(callback), 'content-type': 'application/json' },
      body: '{}',
    }),
  );
  return { authorization: `Bearer ${created.token}`, 'content-type': 'application/json' };
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

export async function json<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

/** A study bookable around the clock, every day, for `horizonDays`. */
export async function createStudy(
  service: BenchService,
  auth: Record<string, string>,
  horizonDays: number,
): Promise<string> {
  const allDay = [{ start: '00:00', end: '24:00' }];
  const weekly = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, allDay]),
  );
  const study = await json<{ id: string }>(
    fetch(`${service.url}/api/studies`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        title: 'Queue bench',
        durationMinutes: 30,
        timeZone: 'UTC',
        availability: { weekly },
        minNoticeMinutes: 0,
        horizonDays,
      }),
    }),
  );
  return study.id;
}

/** Prints the case's table and, last, its JSON keys (a case file run alone). */
export function printCase(result: BenchCase): void {
  console.log(result.title);
  for (const row of result.rows) {
    console.log(
      `  ${row.label.padEnd(58)} ${row.value.padStart(14)}${row.goal ? `   goal ${row.goal}` : ''}`,
    );
  }
  console.log(JSON.stringify(result.keys));
}
