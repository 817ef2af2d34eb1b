/**
 * `book`: participants booking through the public API under load — 64 clients at once, each
 * request a different participant and slot — against the service as production runs it
 * (its own process, embedded PostgreSQL, the Google emulator in a process of its own), with
 * 2,000 bookings already in the study; the same with 100 and with 10,000 (the rate should
 * not fall as bookings accumulate). Beside it, in the same run: a bare Express + pg endpoint
 * doing one INSERT, GET slots while the bookings run, and the service's memory.
 *
 * Existing bookings and all participants are seeded straight into the database (the
 * service's own tables); every measured booking goes through HTTP.
 *
 * BENCH_PROFILE_DIR=<dir>: the service and the emulator run with `--cpu-prof` and write their
 * profiles there (the emulator's is the one whose file name has the lower PID).
 * BENCH_BOOK_QUICK=1: only 500 bookings with 2,000 existing, no baseline and no 100/10,000
 * runs (for profiling; its other keys are then 0).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { createKnex } from '../../../src/db/knex';
import { sha256Hex } from '../../../src/security/secrets';
import { measureBaselineInsert } from '../support/baseline';
import { meterCpu } from '../support/cpu';
import { startEmulatorProcess } from '../support/emulator';
import { measureGoogleCeiling, type CeilingResult } from '../support/google-ceiling';
import { runLoad, statusSummary, type LoadResult } from '../support/load';
import { measureAsync } from '../support/measure';
import { startBenchDatabase } from '../support/postgres';
import { rssMb, sampleRss } from '../support/processes';
import { round, runAlone } from '../support/report';
import { startServiceProcess, type ServiceProcess } from '../support/service';
import { signInResearcher } from '../support/sign-in';
import type { BenchCase } from './types';

const CLIENTS = 64;
const SLOT_MINUTES = 30;
const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
/** Slots start on whole days from tomorrow on, inside the study's 365-day horizon. */
const SLOT_DAYS = 360;
const DAY_MS = 86_400_000;

interface Scenario {
  researcherEmail: string;
  studyId: string;
  /** Booking links of participants who have not booked yet, one per measured booking. */
  tokens: string[];
  /** The free slot each of those participants books. */
  starts: Date[];
  /** A participant who only looks at slots. */
  viewerToken: string;
}

export async function run(): Promise<BenchCase> {
  const database = await startBenchDatabase();
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const emulator = await startEmulatorProcess(profile);
  let service: ServiceProcess | undefined;
  const knex = createKnex(database.url, 4);
  try {
    service = await startServiceProcess({
      databaseUrl: database.url,
      emulatorUrl: emulator.url,
      // 64 clients from one address: the public rate limits would stop the benchmark.
      env: { BOOKING_RATE_LIMIT_PER_ADDRESS: '100000000', BOOKING_RATE_LIMIT_PER_LINK: '100000000' },
      nodeFlags: profile,
    });
    const quick = process.env.BENCH_BOOK_QUICK === '1';
    const baseline = quick ? notMeasured : await measureBaselineInsert(database.url, CLIENTS, 5_000);
    const rssIdle = rssMb(service.child.pid);

    const main = await prepare(service, emulator.url, knex, 2_000, (quick ? 500 : 1_500) + CLIENTS);
    const slotsPath = slotsPathFor(main.viewerToken);
    const slotsIdle = await measureAsync(
      () => fetch(`${service?.url}${slotsPath}`).then((r) => r.text()),
      50,
    );
    const rss = sampleRss(service.child.pid);
    let bookingsDone = false;
    const slotsDuringLoad = runLoad({
      url: service.url,
      concurrency: 2,
      stopWhen: () => bookingsDone,
      request: () => ({ method: 'GET', path: slotsPath }),
    });
    const activity = quick ? sampleActivity(knex, () => bookingsDone) : undefined;
    const booking = await bookAll(service.url, main).finally(() => {
      bookingsDone = true;
    });
    if (activity) console.error(await activity);
    const slotsUnderLoad = await slotsDuringLoad;
    const rssPeak = rss.stop();
    // V8's memory reducer gives the heap back over tens of seconds once allocation stops.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const rssAfter = rssMb(service.child.pid);

    // Where the CPU goes, measured on this run: nothing else (no slot lists) runs beside it.
    const fewScenario = quick ? undefined : await prepare(service, emulator.url, knex, 100, 1_000 + CLIENTS);
    const cpu = meterCpu({ service: service.child.pid, emulator: emulator.child.pid });
    const few = fewScenario ? await bookAll(service.url, fewScenario) : notMeasured;
    const cpuUsed = cpu.stop();
    const perBooking = (ms: number) => (fewScenario ? ms / fewScenario.tokens.length : 0);
    const cpuPerBooking = {
      service: perBooking(cpuUsed.service ?? 0),
      emulator: perBooking(cpuUsed.emulator ?? 0),
      postgres: perBooking(cpuUsed.postgres ?? 0),
      loadGenerator: perBooking(cpuUsed.loadGenerator ?? 0),
    };
    const cpuTotal = Object.values(cpuPerBooking).reduce((sum, ms) => sum + ms, 0);
    const many = quick
      ? notMeasured
      : await bookAll(service.url, await prepare(service, emulator.url, knex, 10_000, 1_000 + CLIENTS));
    // Last, so its events never share the emulator with a measured booking run.
    const ceilingCpu = meterCpu({ emulator: emulator.child.pid });
    const ceiling: CeilingResult = quick
      ? { ...notMeasured, callsPerBooking: 0, failed: 0 }
      : await measureGoogleCeiling(emulator.url, { concurrency: CLIENTS, bookings: 1_500 });
    const ceilingEmulatorMs = quick ? 0 : (ceilingCpu.stop().emulator ?? 0) / 1_500;
    const cores = os.availableParallelism();

    const rate = (result: LoadResult) => `${result.rps.toFixed(1)}/s`;
    return {
      title: `Booking under load: ${CLIENTS} clients over HTTP, each a different participant and slot`,
      rows: [
        { label: 'bookings/s, 2,000 existing', value: rate(booking), goal: '≥ 300/s' },
        { label: 'booking p50', value: `${booking.p50Ms.toFixed(0)} ms` },
        { label: 'booking p99', value: `${booking.p99Ms.toFixed(0)} ms`, goal: '≤ 100 ms' },
        { label: 'answers', value: statusSummary(booking) },
        { label: 'baseline: Express + pg INSERT/s', value: rate(baseline) },
        { label: 'ratio to baseline', value: (booking.rps / baseline.rps).toFixed(3), goal: '≥ 0.1' },
        {
          label: `ceiling: a booking's ${ceiling.callsPerBooking} Google calls alone, emulator only, ${CLIENTS} clients`,
          value: `${ceiling.rps.toFixed(1)}/s, p99 ${ceiling.p99Ms.toFixed(0)} ms${ceiling.failed ? `, ${ceiling.failed} failed` : ''}`,
        },
        { label: 'ratio to that ceiling', value: (booking.rps / ceiling.rps).toFixed(2) },
        {
          label: `CPU per booking (100 existing): service, emulator, PostgreSQL, load generator`,
          value: `${[cpuPerBooking.service, cpuPerBooking.emulator, cpuPerBooking.postgres, cpuPerBooking.loadGenerator].map((ms) => ms.toFixed(1)).join(' + ')} = ${cpuTotal.toFixed(1)} ms`,
        },
        {
          label: `bookings/s ${cores} cores allow at that CPU (${cores} × 1,000 ms / total)`,
          value: `${cpuTotal ? ((cores * 1000) / cpuTotal).toFixed(0) : '0'}/s`,
        },
        {
          label: "emulator CPU per booking in the ceiling run (Google's side alone)",
          value: `${ceilingEmulatorMs.toFixed(1)} ms`,
        },
        { label: 'bookings/s, 100 existing', value: rate(few) },
        { label: 'bookings/s, 10,000 existing', value: rate(many) },
        {
          label: '10,000 vs 100 existing',
          value: `${((many.rps / few.rps - 1) * 100).toFixed(0)} %`,
          goal: 'within 20 %',
        },
        { label: 'GET slots (14 days) idle p50', value: `${slotsIdle.p50Ms.toFixed(1)} ms` },
        {
          label: 'GET slots (14 days) under load p99',
          value: `${slotsUnderLoad.p99Ms.toFixed(0)} ms (p50 ${slotsUnderLoad.p50Ms.toFixed(0)}, ${slotsUnderLoad.requests} requests)`,
          goal: '≤ 200 ms',
        },
        { label: 'service RSS idle', value: `${rssIdle.toFixed(0)} MB` },
        { label: 'service RSS peak under load', value: `${rssPeak.toFixed(0)} MB`, goal: '≤ 200 MB' },
        { label: 'service RSS 30 s after', value: `${rssAfter.toFixed(0)} MB` },
      ],
      keys: {
        book_rps: round(booking.rps, 1),
        book_p99_ms: round(booking.p99Ms, 1),
        baseline_insert_rps: round(baseline.rps, 1),
        book_google_ceiling_rps: round(ceiling.rps, 1),
        book_google_ceiling_p99_ms: round(ceiling.p99Ms, 1),
        book_cpu_ms_service: round(cpuPerBooking.service, 2),
        book_cpu_ms_emulator: round(cpuPerBooking.emulator, 2),
        book_cpu_ms_postgres: round(cpuPerBooking.postgres, 2),
        book_cpu_ms_load_generator: round(cpuPerBooking.loadGenerator, 2),
        book_rps_at_100: round(few.rps, 1),
        book_rps_at_10000: round(many.rps, 1),
        slots_under_load_p99_ms: round(slotsUnderLoad.p99Ms, 1),
        rss_mb_peak: round(rssPeak, 1),
        rss_mb_after: round(rssAfter, 1),
        rss_mb_idle: round(rssIdle, 1),
      },
    };
  } finally {
    await knex.destroy();
    await service?.stop();
    await emulator.stop();
    await database.stop();
  }
}

const notMeasured: LoadResult = {
  requests: 0,
  succeeded: 0,
  statuses: {},
  seconds: 0,
  rps: 0,
  p50Ms: 0,
  p99Ms: 0,
};

/** The first CLIENTS bookings warm up (not counted); the rest are measured. */
async function bookAll(url: string, scenario: Scenario): Promise<LoadResult> {
  const request = (index: number) => ({
    method: 'POST' as const,
    path: `/api/booking/${scenario.tokens[index]}`,
    body: { start: scenario.starts[index]?.toISOString() },
  });
  await runLoad({ url, concurrency: CLIENTS, total: CLIENTS, request });
  return runLoad({
    url,
    concurrency: CLIENTS,
    total: scenario.tokens.length - CLIENTS,
    request: (index) => request(index + CLIENTS),
  });
}

/** What the service's connections were doing during the load (quick runs: where time waits). */
async function sampleActivity(knex: Knex, done: () => boolean): Promise<string> {
  const counts = new Map<string, number>();
  let samples = 0;
  while (!done()) {
    const { rows } = await knex.raw<{ rows: { what: string }[] }>(
      `SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS what
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'`,
    );
    samples += 1;
    for (const row of rows) counts.set(row.what, (counts.get(row.what) ?? 0) + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([what, count]) => `${(count / samples).toFixed(2)}  ${what}`)
    .join('\n');
}

function slotsPathFor(token: string): string {
  const from = new Date(Date.now() + DAY_MS);
  const to = new Date(from.getTime() + 14 * DAY_MS);
  return `/api/booking/${token}/slots?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
}

/**
 * A new researcher (signed in through the emulator) with one study open round the clock in
 * 30-minute slots, `existing` confirmed bookings at random slots, and `measured` invited
 * participants, each given a different free slot.
 */
export async function prepare(
  service: ServiceProcess,
  emulatorUrl: string,
  knex: Knex,
  existing: number,
  measured: number,
): Promise<Scenario> {
  const email = `bench-${existing}-${randomUUID().slice(0, 8)}@example.com`;
  const researcher = await signInResearcher(service.url, emulatorUrl, email);
  const allDay = [{ start: '00:00', end: '24:00' }];
  const created = await fetch(`${service.url}/api/studies`, {
    method: 'POST',
    headers: researcher.headers,
    body: JSON.stringify({
      title: `Bench with ${existing} bookings`,
      durationMinutes: SLOT_MINUTES,
      slotStepMinutes: SLOT_MINUTES,
      timeZone: 'UTC',
      availability: {
        weekly: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, allDay]),
        ),
      },
      minNoticeMinutes: 0,
      horizonDays: 365,
    }),
  });
  if (created.status !== 201) throw new Error(`study not created: ${created.status} ${await created.text()}`);
  const study = (await created.json()) as { id: string };
  const connection = await knex('google_connections')
    .where({ researcher_id: researcher.id })
    .first<{ calendar_id: string }>('calendar_id');
  if (!connection) throw new Error('researcher not connected');

  const firstDay = Math.ceil(Date.now() / DAY_MS) * DAY_MS + DAY_MS;
  const slotIndexes = shuffled(Array.from({ length: SLOT_DAYS * SLOTS_PER_DAY }, (_, index) => index));
  const startOf = (index: number) => new Date(firstDay + index * SLOT_MINUTES * 60_000);
  const people = Array.from({ length: existing + measured + 1 }, (_, index) => ({
    id: randomUUID(),
    token: randomBytes(32).toString('base64url'),
    index,
  }));
  for (const batch of chunks(people, 1_000)) {
    await knex('participants').insert(
      batch.map((person) => ({
        id: person.id,
        study_id: study.id,
        researcher_id: researcher.id,
        name: `Participant ${person.index}`,
        email: `p${person.index}@example.org`,
        status: person.index < existing ? 'scheduled' : 'invited',
        booking_token_hash: sha256Hex(person.token),
      })),
    );
  }
  for (const batch of chunks(people.slice(0, existing), 1_000)) {
    await knex('bookings').insert(
      batch.map((person) => {
        const start = startOf(slotIndexes[person.index] ?? 0);
        const end = new Date(start.getTime() + SLOT_MINUTES * 60_000);
        const id = randomUUID();
        return {
          id,
          participant_id: person.id,
          study_id: study.id,
          researcher_id: researcher.id,
          during: knex.raw('tstzrange(?, ?)', [start, end]),
          state: 'confirmed',
          google_event_id: `seed${id.replace(/-/g, '')}`,
          calendar_id: connection.calendar_id,
        };
      }),
    );
  }
  await knex.raw('ANALYZE participants, bookings');
  const bookers = people.slice(existing, existing + measured);
  return {
    researcherEmail: email,
    studyId: study.id,
    tokens: bookers.map((person) => person.token),
    starts: bookers.map((person) => startOf(slotIndexes[person.index] ?? 0)),
    viewerToken: people[existing + measured]?.token ?? '',
  };
}

function shuffled<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

if (require.main === module) runAlone(run);
