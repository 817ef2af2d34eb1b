/**
 * The real service as `npm start` composes it (embedded PostgreSQL, in-process Google
 * emulator, job queue) in a temporary DATA_DIR, driven over HTTP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { withDevelopmentSecrets } from '../../src/dev-secrets';
import { createLogger } from '../../src/logger';
import { freePort } from '../../src/net/free-port';
import { startService } from '../../src/service';
import { measureAsync, type BenchResult } from './measure';

async function signIn(url: string, emulatorUrl: string, email: string): Promise<Record<string, string>> {
  await fetch(`${emulatorUrl}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Bench Researcher' }),
  });
  const start = await fetch(`${url}/auth/google?login_hint=${encodeURIComponent(email)}`, {
    redirect: 'manual',
  });
  const nonce = start.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const consent = await fetch(start.headers.get('location') ?? '', { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: nonce },
  });
  const cookie = callback.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const created = await fetch(`${url}/api/me/tokens`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: '{}',
  });
  return {
    authorization: `Bearer ${((await created.json()) as { token: string }).token}`,
    'content-type': 'application/json',
  };
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

export async function benchService(): Promise<BenchResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-bench-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const config = withDevelopmentSecrets(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      EMULATOR_PORT: '0',
      EMULATOR_AUTO_APPROVE: '1',
      LOG_LEVEL: 'silent',
      // One client makes every request here: the public rate limits would stop the benchmark.
      BOOKING_RATE_LIMIT_PER_ADDRESS: '1000000',
      BOOKING_RATE_LIMIT_PER_LINK: '1000000',
    }),
  );
  const service = await startService(config, createLogger('silent'));
  try {
    const url = service.url;
    const auth = await signIn(url, service.emulatorUrl ?? '', 'bench@example.com');
    // A calendar with 300 events in the next weeks, as a busy researcher has.
    for (let index = 0; index < 300; index += 1) {
      const start = Date.now() + 3_600_000 + index * 4 * 3_600_000;
      await fetch(`${service.emulatorUrl}/_emulator/calendars/bench@example.com/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          summary: `Meeting ${index}`,
          start: { dateTime: new Date(start).toISOString() },
          end: { dateTime: new Date(start + 3_600_000).toISOString() },
        }),
      });
    }
    const weekly = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [{ start: '08:00', end: '18:00' }]]),
    );
    const study = await json<{ id: string }>(
      fetch(`${url}/api/studies`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          title: 'Bench',
          durationMinutes: 30,
          timeZone: 'Europe/London',
          availability: { weekly },
          minNoticeMinutes: 60,
          horizonDays: 60,
        }),
      }),
    );
    const people = Array.from({ length: 40 }, (_, index) => ({
      name: `P${index}`,
      email: `p${index}@example.org`,
    }));
    const { participants } = await json<{ participants: { bookingUrl: string }[] }>(
      fetch(`${url}/api/studies/${study.id}/participants`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ participants: people }),
      }),
    );
    const tokens = participants.map((participant) => participant.bookingUrl.split('/book/')[1] ?? '');
    const slotsOf = (token: string) =>
      json<{ slots: { start: string }[] }>(fetch(`${url}/api/booking/${token}/slots`));

    const cached = await measureAsync(
      'GET slots (60 days, busy time from the cache)',
      () => slotsOf(tokens[0] ?? ''),
      40,
    );
    const uncached = await measureAsync(
      'baseline: GET slots asking Google every time',
      async () => {
        await service.knex('freebusy_cache').delete();
        await slotsOf(tokens[0] ?? '');
      },
      20,
    );

    const { slots } = await slotsOf(tokens[0] ?? '');
    let next = 0;
    const booking = await measureAsync(
      'POST booking (hold, Google re-check, insert with Meet, confirm)',
      async () => {
        const token = tokens[next] ?? '';
        const slot = slots[next * 3];
        next += 1;
        await json(
          fetch(`${url}/api/booking/${token}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ start: slot?.start }),
          }),
        );
      },
      30,
    );
    const rssMb = process.memoryUsage().rss / 1_048_576;
    console.log(
      `  (process RSS after the service benchmarks: ${rssMb.toFixed(0)} MB, service and benchmark in one process)`,
    );
    return [{ ...cached, baselineMs: uncached.medianMs }, uncached, booking];
  } finally {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
