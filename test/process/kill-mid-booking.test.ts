import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/net/free-port';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually, signInAt } from '../support/stack';

const root = path.resolve(__dirname, '../..');

/**
 * The real thing: `src/main.ts` as a process, killed with SIGKILL while a booking waits on
 * Google, then started again on the same database and data folder (the in-process
 * emulator keeps its calendars in DATA_DIR, as a demo does).
 */
describe('A service process killed in the middle of a booking', () => {
  let db: TestDatabase;
  let dataDir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-kill-'));
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  });

  async function startService(port: number, emulatorPort: number): Promise<ChildProcess> {
    const env = { ...process.env };
    delete env.NODE_ENV;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...env,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        EMULATOR_PORT: String(emulatorPort),
        EMULATOR_AUTO_APPROVE: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    children.push(child);
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 40_000);
    return child;
  }

  test('When the process dies after holding the slot but before Google answered, then after a restart the booking is finished with exactly one event', async () => {
    const port = await freePort();
    const emulatorPort = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    const first = await startService(port, emulatorPort);
    const ada = await signInAt(url, emulatorUrl, 'ada@example.com');
    const headers = { ...ada.auth, 'content-type': 'application/json' };
    const weekly = Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
        day,
        [{ start: '00:00', end: '24:00' }],
      ]),
    );
    const study = await (
      await fetch(`${url}/api/studies`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title: 'Kill test',
          durationMinutes: 30,
          timeZone: 'UTC',
          minNoticeMinutes: 0,
          availability: { weekly },
        }),
      })
    ).json();
    const { participants } = await (
      await fetch(`${url}/api/studies/${study.id}/participants`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ participants: [{ name: 'Pat', email: 'pat@example.org' }] }),
      })
    ).json();
    const token = String(participants[0].bookingUrl).split('/book/')[1];
    const start = new Date(Date.now() + 2 * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    // Google takes its time with the insert: the booking is held and waiting when we kill.
    await fetch(`${emulatorUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 30_000, operation: 'events.insert' }),
    });
    const bookingSentAt = Date.now();
    void fetch(`${url}/api/booking/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: start.toISOString() }),
    }).catch(() => undefined);
    await eventually(
      async () => (await db.knex('bookings').where({ state: 'pending' })).length === 1,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The in-process emulator stands in for Google, which never forgets a grant; its state
    // file follows memory within a second. Killed before that, the restarted emulator would
    // not know the sign-in, and the test would be about the emulator, not the service.
    const stateFile = path.join(dataDir, 'emulator-state.json');
    await eventually(
      async () => fs.existsSync(stateFile) && fs.statSync(stateFile).mtimeMs > bookingSentAt,
      10_000,
    );

    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const [held] = await db.knex('bookings');
    expect(held.state).toBe('pending');

    await startService(port, emulatorPort);

    await eventually(
      async () => (await db.knex('bookings').where({ id: held.id }).first()).state === 'confirmed',
      45_000,
    ).catch(async (error: unknown) => {
      // Say where it stopped: the booking row and its finish jobs.
      const booking = await db.knex('bookings').where({ id: held.id }).first();
      const jobs = await db
        .knex('pgboss.job')
        .where({ name: 'finish-booking' })
        .select('state', 'retry_count', 'start_after', 'started_on', 'output');
      const connection = await db
        .knex('google_connections')
        .select('state', 'revoked_reason', 'updated_at')
        .first()
        .catch(() => undefined);
      throw new Error(`${String(error)}: ${JSON.stringify({ booking, jobs, connection })}`);
    });
    const state = await (await fetch(`${emulatorUrl}/_emulator/state`)).json();
    const events = (state.events['ada@example.com'] ?? []).filter(
      (event: { extendedProperties?: { private?: { bookingId?: string } } }) =>
        event.extendedProperties?.private?.bookingId === held.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0].hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    const participant = await db.knex('participants').where({ id: participants[0].id }).first();
    expect(participant.status).toBe('scheduled');
  }, 150_000);
});
