/**
 * `reconcile`: the nightly check of 10,000 upcoming bookings over 1,000 calendars, Google
 * answering after 20 ms (the emulator's latency fault), run by the real nightly code
 * (`runNightly`, as `npm run reconcile` runs it) through a proxy that counts Google calls
 * and how many run at once per Google user (issue 12).
 * `RECONCILE_CONCURRENCY=1` runs the calendars one after another, as before, for comparison.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKnex } from '../../../src/db/knex';
import { createGoogleServices, EMULATOR_GOOGLE_CLIENT, webhookUrl } from '../../../src/features';
import { googleEndpoints } from '../../../src/google';
import { createJobQueue } from '../../../src/jobs/queue';
import { createLogger } from '../../../src/logger';
import { runNightly } from '../../../src/nightly/nightly-job';
import { syncMetricsFor } from '../../../src/sync/sync-metrics';
import { runAlone, startBenchService, waitUntil } from './bench-service';
import { emulatorPost, inParallel, seedInterviews, signInResearchers, syncJobsLeft } from './seed-interviews';
import type { BenchCase } from './types';

const CALENDARS = Number(process.env.RECONCILE_CALENDARS ?? 1000);
const BOOKINGS_PER_CALENDAR = 10;
const LATENCY_MS = 20;
const DAY_MS = 24 * 3600_000;

export async function run(): Promise<BenchCase> {
  const service = await startBenchService();
  const proxy = await startCountingProxy(service.emulatorUrl);
  const knex = createKnex(service.databaseUrl, 10);
  const logger = createLogger('silent');
  const queue = createJobQueue({ databaseUrl: service.databaseUrl, logger, poolMax: 2 });
  await queue.start();
  try {
    // Seeding: no push (10,000 inserts would each cause a sync), no latency.
    await emulatorPost(service, '/faults', { dropPush: true });
    const researchers = await signInResearchers(service, 'reconcile', CALENDARS);
    const tomorrow = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS + DAY_MS + 9 * 3600_000);
    await inParallel(researchers, 8, (researcher) =>
      seedInterviews(service, researcher, BOOKINGS_PER_CALENDAR, tomorrow, DAY_MS),
    );
    await waitUntil(async () => (await syncJobsLeft(service)) === 0, 300_000, 'the sign-in syncs');
    await fetch(`${service.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
    await emulatorPost(service, '/faults', { latencyMs: LATENCY_MS });

    const { access } = createGoogleServices({
      config: service.config,
      knex,
      logger,
      endpoints: googleEndpoints(proxy.url),
      googleClient: EMULATOR_GOOGLE_CLIENT,
    });
    const concurrency = process.env.RECONCILE_CONCURRENCY
      ? Number(process.env.RECONCILE_CONCURRENCY)
      : undefined;
    proxy.reset();
    const started = Date.now();
    const report = await runNightly(
      {
        knex,
        logger,
        access,
        queue,
        channels: { knex, logger, webhookUrl: webhookUrl(service.config) },
        metrics: syncMetricsFor(knex),
      },
      concurrency ? { concurrency } : {},
    );
    const seconds = (Date.now() - started) / 1000;
    if (report === 'busy') throw new Error('another nightly run held the lock');
    const calls = proxy.counts;
    const calendarCalls = calls.list + calls.get + calls.watch + calls.stop + calls.otherCalendar;
    return {
      title: `Nightly reconcile: ${CALENDARS * BOOKINGS_PER_CALENDAR} bookings on ${CALENDARS} calendars, Google latency ${LATENCY_MS} ms${concurrency ? `, concurrency ${concurrency}` : ''}`,
      rows: [
        { label: 'bookings verified', value: String(report.bookingsVerified) },
        { label: 'calendars', value: String(report.calendars) },
        { label: 'Calendar API calls', value: String(calendarCalls), goal: '≤ calendars + pages' },
        { label: '  events.list (incremental sync + verification, pages)', value: String(calls.list) },
        { label: '  events.get (a booking whose event left the window)', value: String(calls.get) },
        { label: '  events.watch / channels.stop', value: `${calls.watch} / ${calls.stop}` },
        { label: 'OAuth token refreshes (not Calendar API)', value: String(calls.token) },
        { label: 'duration', value: `${seconds.toFixed(1)} s`, goal: '≤ 30 s' },
        {
          label: 'most calls at once for one Google user',
          value: String(proxy.maxPerUser),
          goal: 'bounded (1)',
        },
        { label: 'most calls at once in all', value: String(proxy.maxInFlight) },
        {
          label: 'failures / fixed',
          value: `${report.failures.length} / ${report.fixed.length}`,
          goal: '0 / 0',
        },
      ],
      keys: {
        reconcile_bookings: report.bookingsVerified,
        reconcile_calendars: report.calendars,
        reconcile_api_calls: calendarCalls,
        reconcile_s: Math.round(seconds * 10) / 10,
      },
    };
  } finally {
    await queue.stop();
    await knex.destroy();
    await proxy.close();
    await service.stop();
  }
}

interface CountingProxy {
  url: string;
  counts: { list: number; get: number; watch: number; stop: number; otherCalendar: number; token: number };
  maxPerUser: number;
  maxInFlight: number;
  reset(): void;
  close(): Promise<void>;
}

/** Google as the service sees it, with every call counted by kind and by calendar. */
async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const inFlightByUser = new Map<string, number>();
  let inFlight = 0;
  const proxy: Omit<CountingProxy, 'url' | 'close'> = {
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
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

if (require.main === module) runAlone(run);
