/**
 * `reconcile`: the nightly check of 10,000 upcoming bookings over 1,000 calendars, Google
 * answering after 20 ms (the emulator's latency fault), run as production runs it by hand:
 * `npm run reconcile:prod` (its node arguments from package.json) beside the service, on the
 * service's database and DATA_DIR, its Google calls through a proxy that counts them by kind
 * and how many run at once per Google user (issue 12). The numbers of the run (calendars,
 * bookings verified, seconds, fixed, failures) are read from the summary it prints.
 * RECONCILE_CALENDARS=n: fewer calendars, for a quick run.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runNodeToEnd, waitUntil } from '../support/processes';
import { productionNodeArgs } from '../support/production';
import { round, runAlone } from '../support/report';
import { startStack, type BenchStack } from '../support/stack';
import { emulatorPost, inParallel, seedInterviews, signInResearchers, syncJobsLeft } from './seed-interviews';
import type { BenchCase } from './types';

const CALENDARS = Number(process.env.RECONCILE_CALENDARS ?? 1000);
const BOOKINGS_PER_CALENDAR = 10;
const LATENCY_MS = 20;
const DAY_MS = 24 * 3600_000;

export async function run(): Promise<BenchCase> {
  const stack = await startStack();
  const proxy = await startCountingProxy(stack.emulator.url);
  try {
    // Seeding: no push (10,000 inserts would each cause a sync), no latency.
    await emulatorPost(stack, '/faults', { dropPush: true });
    const researchers = await signInResearchers(stack, 'reconcile', CALENDARS);
    const tomorrow = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS + DAY_MS + 9 * 3600_000);
    await inParallel(researchers, 8, (researcher) =>
      seedInterviews(stack, researcher, BOOKINGS_PER_CALENDAR, tomorrow, DAY_MS),
    );
    await waitUntil(async () => (await syncJobsLeft(stack)) === 0, 300_000, 'the sign-in syncs');
    await fetch(`${stack.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    await emulatorPost(stack, '/faults', { latencyMs: LATENCY_MS });

    proxy.reset();
    const report = await reconcileAsProduction(stack, proxy.port);
    const calls = proxy.counts;
    const calendarCalls = calls.list + calls.get + calls.watch + calls.stop + calls.otherCalendar;
    return {
      title: `Nightly reconcile (npm run reconcile:prod): ${CALENDARS * BOOKINGS_PER_CALENDAR} bookings on ${CALENDARS} calendars, Google latency ${LATENCY_MS} ms`,
      rows: [
        { label: 'bookings verified', value: String(report.bookingsVerified) },
        { label: 'calendars', value: String(report.calendars) },
        { label: 'Calendar API calls', value: String(calendarCalls), goal: '≤ calendars + pages' },
        { label: '  events.list (incremental sync + verification, pages)', value: String(calls.list) },
        { label: '  events.get (a booking whose event left the window)', value: String(calls.get) },
        { label: '  events.watch / channels.stop', value: `${calls.watch} / ${calls.stop}` },
        { label: 'OAuth token refreshes (not Calendar API)', value: String(calls.token) },
        { label: 'duration', value: `${report.seconds.toFixed(1)} s`, goal: '≤ 30 s' },
        {
          label: 'most calls at once for one Google user',
          value: String(proxy.maxPerUser),
          goal: 'bounded (1)',
        },
        { label: 'most calls at once in all', value: String(proxy.maxInFlight) },
        {
          label: 'failures / fixed',
          value: `${report.failures} / ${report.fixed}`,
          goal: '0 / 0',
        },
      ],
      keys: {
        reconcile_bookings: report.bookingsVerified,
        reconcile_calendars: report.calendars,
        reconcile_api_calls: calendarCalls,
        reconcile_s: round(report.seconds, 1),
      },
    };
  } finally {
    await proxy.close();
    await stack.stop();
  }
}

interface ReconcileSummary {
  calendars: number;
  seconds: number;
  bookingsVerified: number;
  fixed: number;
  failures: number;
}

/**
 * `npm run reconcile:prod` on the service's database and DATA_DIR (its development secrets
 * decrypt the stored tokens), its emulator (`EMULATOR_PORT`) the counting proxy; the numbers
 * from the summary it prints. Its duration is the run's own, from that summary (not the
 * process start-up).
 */
async function reconcileAsProduction(stack: BenchStack, googlePort: number): Promise<ReconcileSummary> {
  const finished = await runNodeToEnd(productionNodeArgs('reconcile:prod'), {
    DATABASE_URL: stack.database.url,
    DATA_DIR: stack.service.dataDir,
    EMULATOR_PORT: String(googlePort),
    PUBLIC_URL: stack.service.url,
    LOG_LEVEL: 'warn',
  });
  if (finished.code === 2) throw new Error('another nightly run held the lock');
  const number = (pattern: RegExp) => {
    const match = pattern.exec(finished.stdout);
    if (!match?.[1] || (finished.code !== 0 && finished.code !== 1)) {
      throw new Error(
        `npm run reconcile:prod (exit ${finished.code}) printed no ${pattern.source}:\n${finished.stdout.slice(-2000)}\n${finished.stderr.slice(-2000)}`,
      );
    }
    return Number(match[1]);
  };
  return {
    calendars: number(/^Reconciled (\d+) calendars? in/m),
    seconds: number(/^Reconciled \d+ calendars? in ([\d.]+) s\./m),
    bookingsVerified: number(/^ {2}Upcoming bookings verified: (\d+)/m),
    fixed: number(/^ {2}Fixed: (\d+) booking/m),
    failures: number(/^ {2}Failures: (\d+)/m),
  };
}

interface CountingProxy {
  port: number;
  counts: { list: number; get: number; watch: number; stop: number; otherCalendar: number; token: number };
  maxPerUser: number;
  maxInFlight: number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Google as the nightly run sees it, with every call counted by kind and by calendar. It runs
 * in this process, which does nothing else while the run goes on; the service and the
 * emulator do not go through it.
 */
async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const inFlightByUser = new Map<string, number>();
  let inFlight = 0;
  const proxy: Omit<CountingProxy, 'port' | 'close'> = {
    counts: { list: 0, get: 0, watch: 0, stop: 0, otherCalendar: 0, token: 0 },
    maxPerUser: 0,
    maxInFlight: 0,
    reset() {
      proxy.counts = { list: 0, get: 0, watch: 0, stop: 0, otherCalendar: 0, token: 0 };
      proxy.maxPerUser = 0;
      proxy.maxInFlight = 0;
    },
  };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const calendar = /^\/calendar\/v3\/calendars\/([^/]+)\/events(\/[^/]+)?/.exec(path);
    const user = calendar ? decodeURIComponent(calendar[1] ?? '') : undefined;
    if (calendar && calendar[2] === '/watch') proxy.counts.watch += 1;
    else if (calendar && calendar[2]) proxy.counts.get += req.method === 'GET' ? 1 : 0;
    else if (calendar) proxy.counts.list += 1;
    else if (path.startsWith('/calendar/v3/channels/stop')) proxy.counts.stop += 1;
    else if (path.startsWith('/calendar/v3/')) proxy.counts.otherCalendar += 1;
    else if (path === '/token') proxy.counts.token += 1;
    inFlight += 1;
    proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
    if (user) {
      const now = (inFlightByUser.get(user) ?? 0) + 1;
      inFlightByUser.set(user, now);
      proxy.maxPerUser = Math.max(proxy.maxPerUser, now);
    }
    const done = () => {
      inFlight -= 1;
      if (user) inFlightByUser.set(user, (inFlightByUser.get(user) ?? 1) - 1);
    };
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', done);
      },
    );
    forwarded.on('error', () => {
      done();
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

if (require.main === module) runAlone(run);
