import type { Server } from 'node:http';
import type { Knex } from 'knex';
import { buildApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createGoogleEmulator, type GoogleEmulator, type GoogleEmulatorOptions } from '../../src/emulator';
import { createFeatures, startWorkers, type Features } from '../../src/features';
import { googleEndpoints } from '../../src/google';
import { createMetrics } from '../../src/http/metrics';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue';
import { createKnex } from '../../src/db/knex';
import { createLogger } from '../../src/logger';
import { freePort } from '../../src/net/free-port';
import { stopSyncWorkers } from '../../src/sync/sync-feature';
import { createTestDatabase, type TestDatabase } from './database';

/** The OAuth client the stacks use, registered with their emulator (any loopback redirect URI). */
export const TEST_GOOGLE_CLIENT = {
  clientId: 'scheduler-test.apps.emulator',
  clientSecret: 'scheduler-test-secret',
};

export const TEST_KEYS = 'k1:' + Buffer.alloc(32, 7).toString('base64');

export interface Stack {
  url: string;
  /** This instance itself, also when PUBLIC_URL points elsewhere (a load balancer). */
  localUrl: string;
  config: Readonly<Config>;
  db: TestDatabase;
  knex: Knex;
  emulator: GoogleEmulator;
  emulatorUrl: string;
  queue: JobQueue;
  features: Features;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  emulator?: GoogleEmulatorOptions;
  /** An existing database (several instances on one database); a fresh one otherwise. */
  db?: TestDatabase;
  /** Another stack's emulator: several instances then talk to one Google. */
  sharedEmulator?: GoogleEmulator;
  /** The client id and secret this instance presents to Google (TEST_GOOGLE_CLIENT). */
  googleClient?: { clientId: string; clientSecret: string };
  /** Start the job workers (email, event deletion…); default true. */
  workers?: boolean;
  /** Booking API requests per minute per address and per link. */
  bookingLimits?: { perAddress: number; perToken: number };
  /**
   * `true`: this instance runs the nightly cron timer. Off by default (NIGHTLY_CRON=off): a run
   * crossing 03:00 would reconcile, in every open stack, bookings a test wrote straight in.
   */
  nightly?: boolean;
  /** A connection pool of its own on the (shared) database, as a separate process would have. */
  separatePool?: boolean;
}

/**
 * The whole service in this process, as `npm start` composes it: a database of its own,
 * the Google emulator, the job queue with its workers, and the HTTP app on a real port
 * (Google's push notifications and OAuth redirects need one).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const db = options.db ?? (await createTestDatabase());
  const emulator =
    options.sharedEmulator ??
    createGoogleEmulator({
      autoApprove: true,
      allowHttpPushOnLoopback: true,
      clients: [TEST_GOOGLE_CLIENT],
      pushRetry: { initialDelayMs: 20, maxAttempts: 5, timeoutMs: 2000 },
      ...options.emulator,
    });
  const emulatorUrl = options.sharedEmulator?.baseUrl ?? (await emulator.listen(0)).url;
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-1234',
    TOKEN_ENCRYPTION_KEYS: TEST_KEYS,
    ...(options.nightly === true ? {} : { NIGHTLY_CRON: 'off' }),
    ...options.env,
  });
  const knex = options.separatePool ? createKnex(db.url, 5) : db.knex;
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const queue = createJobQueue({
    databaseUrl: db.url,
    logger,
    pollingIntervalSeconds: 0.5,
    stopTimeoutMs: 5000,
  });
  await queue.start();
  const features: Features = {
    ...createFeatures({
      config,
      knex,
      logger,
      queue,
      endpoints: googleEndpoints(emulatorUrl),
      googleClient: options.googleClient ?? TEST_GOOGLE_CLIENT,
      emulatorUrl,
    }),
    ...(options.bookingLimits ? { bookingLimits: options.bookingLimits } : {}),
  };
  const closeMail = options.workers !== false ? await startWorkers(features, db.url) : async () => {};
  const app = buildApp({ config, logger, knex, metrics: createMetrics(), features });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return {
    url: config.publicUrl,
    localUrl: `http://127.0.0.1:${port}`,
    config,
    db,
    knex,
    emulator,
    emulatorUrl,
    queue,
    features,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await stopSyncWorkers(features);
      await queue.stop({ timeoutMs: 2000 });
      await closeMail();
      if (options.separatePool) await knex.destroy();
      if (!options.sharedEmulator) await emulator.close();
      if (!options.db) await db.drop();
    },
  };
}

export interface SignedIn {
  researcherId: string;
  email: string;
  /** The session cookie header, as a browser would send it. */
  cookie: string;
  /** A bearer API token made with that session. */
  token: string;
  /** Headers for an API call with the bearer token. */
  auth: Record<string, string>;
}

/** The browser's side of "Connect with Google", with the emulator consenting at once. */
export function signIn(stack: Stack, email: string, name = email.split('@')[0] ?? email): Promise<SignedIn> {
  return signInAt(stack.url, stack.emulatorUrl, email, name);
}

/** The same against any running service (e.g. one started as a child process). */
export async function signInAt(
  url: string,
  emulatorUrl: string,
  email: string,
  name = email.split('@')[0] ?? email,
): Promise<SignedIn> {
  await fetch(`${emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name }),
  });
  const start = await fetch(`${url}/auth/google?login_hint=${encodeURIComponent(email)}`, {
    redirect: 'manual',
  });
  const nonceCookie = cookiePair(start.headers.getSetCookie());
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: nonceCookie },
  });
  if (callback.status !== 303) throw new Error(`sign-in failed: ${callback.status} ${await callback.text()}`);
  const cookie = cookiePair(
    callback.headers.getSetCookie().filter((line) => line.startsWith('scheduler_session=')),
  );
  const tokenAnswer = await fetch(`${url}/api/me/tokens`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'tests' }),
  });
  const { token } = (await tokenAnswer.json()) as { token: string };
  const me = (await (await fetch(`${url}/api/me`, { headers: { cookie } })).json()) as {
    researcher: { id: string };
  };
  return { researcherId: me.researcher.id, email, cookie, token, auth: { authorization: `Bearer ${token}` } };
}

function cookiePair(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ');
}

/** Polls until `check` passes (returns a value) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Until every email queued for the participant has left the outbox: the sender changes an
 * email's state (and its place in the participant's timeline) whenever it gets to it.
 */
export async function participantEmailsSent(stack: Stack, participantId: string): Promise<void> {
  await eventually(async () => {
    const pending = await stack
      .knex('email_outbox')
      .where({ participant_id: participantId, state: 'pending' })
      .count<{ count: string }[]>('* as count');
    return Number(pending[0]?.count) === 0;
  }, 10_000);
}

/**
 * Until no job of any queue waits, retries or runs that is due within a few seconds: a
 * calendar's sync may wait its pacing gap (a second or so); reminders due later do not count.
 */
export async function jobsSettled(stack: Stack, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => {
    const result = await stack.knex.raw<{ rows: { due: number }[] }>(
      `SELECT count(*)::int AS due FROM ??.job WHERE state IN ('created', 'retry', 'active')
         AND start_after <= now() + interval '5 seconds'`,
      [stack.queue.schema],
    );
    return result.rows[0]?.due === 0;
  }, timeoutMs);
}
