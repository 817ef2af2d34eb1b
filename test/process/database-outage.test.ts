import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runningPostmaster } from '../../src/db/embedded-cluster';
import { freePort } from '../../src/net/free-port';
import { eventually, signInAt, type SignedIn } from '../support/stack';

const root = path.resolve(__dirname, '../..');

// Small on purpose: a request must give up on a silent database after about
// statement timeout + 1 s (the client's grace), or after the acquire timeout.
const TIMEOUT_MS = 1000;
const GIVE_UP_MS = TIMEOUT_MS + 1000;

/**
 * The service as `npm start` runs it, on an embedded PostgreSQL of its own (not the shared
 * test server), whose processes this test freezes (SIGSTOP), thaws, stops and starts again.
 */
describe('When the database stalls or goes away', () => {
  let dataDir: string;
  let service: ChildProcess;
  let exited: Promise<number | null>;
  let url: string;
  let emulatorUrl: string;
  let ada: SignedIn;
  let studyId: string;
  let bookingToken: string;
  const restarted: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-outage-'));
    const port = await freePort();
    const emulatorPort = await freePort();
    url = `http://127.0.0.1:${port}`;
    emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.NODE_ENV;
    service = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...env,
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: url,
        EMULATOR_PORT: String(emulatorPort),
        EMULATOR_AUTO_APPROVE: '1',
        LOG_LEVEL: 'warn',
        DB_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
        DB_ACQUIRE_TIMEOUT_MS: String(TIMEOUT_MS),
        DB_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
      },
      stdio: 'ignore',
    });
    exited = new Promise((resolve) => service.once('exit', (code) => resolve(code)));
    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
    ada = await signInAt(url, emulatorUrl, 'ada@example.com');
    const study = await api('POST', '/api/studies', {
      title: 'Outage test',
      durationMinutes: 30,
      timeZone: 'UTC',
      minNoticeMinutes: 0,
      availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
    });
    studyId = study.body.id;
    const invited = await invite('first@example.org');
    bookingToken = String(invited.bookingUrl).split('/book/')[1]!;
  }, 90_000);

  afterAll(async () => {
    thaw();
    if (service.exitCode === null) {
      service.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (service.exitCode === null) service.kill('SIGKILL');
    }
    for (const server of restarted) {
      if (server.exitCode === null) server.kill('SIGINT');
      await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(0)));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 40_000);

  async function api(method: string, route: string, body?: unknown) {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { ...ada.auth, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { response, body: text.startsWith('{') ? JSON.parse(text) : text };
  }

  async function invite(email: string) {
    const { response, body } = await api('POST', `/api/studies/${studyId}/participants`, {
      participants: [{ name: email.split('@')[0], email }],
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`invite: ${response.status}`);
    return body.participants[0];
  }

  const mailboxHas = async (email: string) => {
    const { body } = await api('GET', `/dev/mailbox?to=${encodeURIComponent(email)}`);
    return (body.messages ?? []).length > 0;
  };

  const pgdata = () => path.join(dataDir, 'postgres', 'pgdata');
  const postmaster = () => {
    const running = runningPostmaster(pgdata());
    if (!running) throw new Error('no postmaster');
    return running.pid;
  };

  /** The postmaster's children: its backends (our open connections) and helper processes. */
  function childrenOf(pid: number): number[] {
    return fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  let frozen: number[] = [];
  /**
   * A stalled database: the postmaster stops (new connections are accepted by the kernel
   * but never answered) and so does every backend (queries on open connections hang).
   */
  function freeze() {
    const pid = postmaster();
    process.kill(pid, 'SIGSTOP');
    frozen = [pid, ...childrenOf(pid)];
    for (const child of frozen.slice(1)) process.kill(child, 'SIGSTOP');
  }
  function thaw() {
    for (const pid of frozen.reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone already
      }
    }
    frozen = [];
  }

  async function timed<T>(request: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const started = Date.now();
    const result = await request();
    return { result, ms: Date.now() - started };
  }

  function expectUnavailable(response: Response, ms: number) {
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    // A correctness bound, not a benchmark: twice what the service may wait.
    expect(ms).toBeLessThan(2 * GIVE_UP_MS);
  }

  test('When PostgreSQL is frozen, then API calls, the booking page and /readyz answer 503 with Retry-After within the timeouts, and after it thaws everything works again without a restart', async () => {
    freeze();
    try {
      const list = await timed(() => api('GET', `/api/studies/${studyId}/participants`));
      expectUnavailable(list.result.response, list.ms);
      expect(list.result.response.headers.get('content-type')).toContain('application/problem+json');
      expect(list.result.body).toMatchObject({
        status: 503,
        type: expect.stringContaining('database-unavailable'),
      });

      const booking = await timed(() => fetch(`${url}/api/booking/${bookingToken}`));
      expectUnavailable(booking.result, booking.ms);
      expect(booking.result.headers.get('content-type')).toContain('application/problem+json');

      const page = await timed(() => fetch(`${url}/book/${bookingToken}`));
      expectUnavailable(page.result, page.ms);

      // Several at once: they queue for the pool and still give up in time.
      const burst = await timed(() =>
        Promise.all(Array.from({ length: 15 }, () => api('GET', `/api/studies/${studyId}`))),
      );
      for (const { response } of burst.result.map((item) => item)) expect(response.status).toBe(503);
      expect(burst.ms).toBeLessThan(2 * GIVE_UP_MS);

      const ready = await timed(() => fetch(`${url}/readyz`));
      expectUnavailable(ready.result, ready.ms);
      // Which reason depends on the connection the probe gets: a fresh one waits out the
      // probe's own deadline; one the pool handed out as an earlier request's timeout cut it
      // fails at once as lost. Either way the probe says why, within its bound.
      expect((await ready.result.json()).detail).toMatch(
        new RegExp(
          `^Not ready: (database did not answer within ${TIMEOUT_MS} ms|the database connection was lost|the database did not answer in time)\\.$`,
        ),
      );
    } finally {
      thaw();
    }

    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 10_000);
    const read = await api('GET', `/api/studies/${studyId}`);
    expect(read.response.status).toBe(200);
    // A write, and the invitation email its job sends: the queue's workers run again.
    await invite('after-freeze@example.org');
    await eventually(() => mailboxHas('after-freeze@example.org'), 15_000);
    const page = await fetch(`${url}/book/${bookingToken}`);
    expect(page.status).toBe(200);
  }, 60_000);

  test('When PostgreSQL is stopped and started again, then requests get 503 meanwhile and work afterwards without a restart', async () => {
    const pid = postmaster();
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const { uid, gid } = fs.statSync(`/proc/${pid}`);
    process.kill(pid, 'SIGINT'); // fast shutdown: open connections are terminated (57P01)
    await eventually(async () => runningPostmaster(pgdata()) === undefined, 15_000);

    const down = await timed(() => api('GET', `/api/studies/${studyId}`));
    expectUnavailable(down.result.response, down.ms);
    expect(down.result.body.type).toContain('database-unavailable');
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).detail).toBe('Not ready: the database connection failed (ECONNREFUSED).');

    const [binary, ...args] = command;
    const server = spawn(binary!, args, { uid, gid, stdio: 'ignore' });
    restarted.push(server);

    await eventually(async () => (await fetch(`${url}/readyz`)).status === 200, 20_000);
    expect((await api('GET', `/api/studies/${studyId}`)).response.status).toBe(200);
    await invite('after-restart@example.org');
    await eventually(() => mailboxHas('after-restart@example.org'), 15_000);

    // The service still stops cleanly, although the database it started is gone.
    service.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
