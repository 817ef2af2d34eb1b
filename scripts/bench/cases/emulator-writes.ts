/**
 * Events inserted per second through googleapis into the Google emulator with a state file,
 * as `npm start` runs it: the state file written off the request path (at most once per
 * second) against the earlier way — a synchronous `JSON.stringify` + `writeFileSync` of the
 * whole state after every write — measured in the same run, on the same calendar size.
 * Runnable alone: `npx tsx scripts/bench/cases/emulator-writes.ts`.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { google, type calendar_v3 } from 'googleapis';
import { createGoogleEmulator, type GoogleEmulator } from '../../../src/emulator';
import { writeStateFileAtomically } from '../../../src/emulator/state-file';
import type { BenchCase } from './types';

const OWNER = 'bench@example.com';
const CLIENT = {
  clientId: 'bench.apps.googleusercontent.com',
  clientSecret: 'bench',
  redirectUri: 'http://127.0.0.1:1/cb',
};
/** Events already in the calendar when the measurement starts (the booking bench's 2,000). */
const EXISTING = 2_000;
const MEASURED = 1_000;
/** The earlier way runs at a few inserts per second at this size: fewer of them give its rate. */
const MEASURED_BASELINE = 150;
const CONCURRENCY = 16;
/** Where the cost of one snapshot is measured. */
const SNAPSHOT_EVENTS = 10_000;

export async function run(): Promise<BenchCase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-writes-'));
  try {
    const baseline = await measureBaseline(path.join(dir, 'baseline.json'));
    const current = await measureCurrent(path.join(dir, 'current.json'));
    const memoryOnly = await measureMemoryOnly();
    return {
      title: `Google emulator with a state file: events.insert through googleapis (${CONCURRENCY} concurrent, ${EXISTING} events already there)`,
      rows: [
        { label: 'inserts/s, state written off the request path', value: `${current.rps.toFixed(0)}/s` },
        {
          label: 'inserts/s, whole state written synchronously per write (before)',
          value: `${baseline.rps.toFixed(0)}/s`,
        },
        { label: 'ratio', value: `${(current.rps / baseline.rps).toFixed(1)}×` },
        { label: 'inserts/s, no state file at all (the ceiling)', value: `${memoryOnly.toFixed(0)}/s` },
        { label: 'state file writes during the measured inserts', value: String(current.fileWrites) },
        {
          label: `one snapshot at ${SNAPSHOT_EVENTS.toLocaleString('en')} events (JSON.stringify, on the loop)`,
          value: `${current.snapshot.stringifyMs.toFixed(1)} ms, ${(current.snapshot.bytes / 1e6).toFixed(1)} MB`,
        },
        {
          label: `one asynchronous write of that snapshot (off the loop)`,
          value: `${current.snapshot.writeMs.toFixed(1)} ms`,
        },
      ],
      keys: {
        emulator_insert_rps: round(current.rps),
        emulator_insert_rps_sync_baseline: round(baseline.rps),
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The emulator as it was: every answered write rewrites the whole file, on the event loop. */
async function measureBaseline(file: string): Promise<{ rps: number }> {
  const emulator = createGoogleEmulator({ autoApprove: true, clients: [CLIENT] });
  let syncWrites = false;
  const server = http.createServer((req, res) => {
    if (syncWrites && req.method !== 'GET' && req.method !== 'HEAD') {
      res.on('finish', () => {
        const temporary = `${file}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify(emulator.state), { mode: 0o600 });
        fs.renameSync(temporary, file);
      });
    }
    emulator.app(req, res);
  });
  // The blocked loop makes idle keep-alive sockets look older than they are: none may close under a request.
  server.keepAliveTimeout = 60_000;
  const base = await listen(server);
  try {
    const calendar = await connect(base);
    await insertMany(calendar, EXISTING, 0);
    syncWrites = true;
    return { rps: await insertRate(calendar, MEASURED_BASELINE, EXISTING) };
  } finally {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await emulator.close();
  }
}

async function measureCurrent(file: string) {
  let fileWrites = 0;
  let counting = false;
  const emulator = createGoogleEmulator({
    autoApprove: true,
    clients: [CLIENT],
    stateFile: file,
    stateFileWriter: async (target, text) => {
      if (counting) fileWrites += 1;
      await writeStateFileAtomically(target, text);
    },
  });
  const { url } = await emulator.listen(0);
  try {
    const calendar = await connect(url);
    await insertMany(calendar, EXISTING, 0);
    counting = true;
    const rps = await insertRate(calendar, MEASURED, EXISTING);
    counting = false;
    growTo(emulator, SNAPSHOT_EVENTS);
    const snapshot = await snapshotCost(emulator, `${file}.probe`);
    return { rps, fileWrites, snapshot };
  } finally {
    await emulator.close();
  }
}

async function measureMemoryOnly(): Promise<number> {
  const emulator = createGoogleEmulator({ autoApprove: true, clients: [CLIENT] });
  const { url } = await emulator.listen(0);
  try {
    const calendar = await connect(url);
    await insertMany(calendar, EXISTING, 0);
    return await insertRate(calendar, MEASURED, EXISTING);
  } finally {
    await emulator.close();
  }
}

/** Copies of the events inserted so far (with their invitations), until the calendar holds `total`. */
function growTo(emulator: GoogleEmulator, total: number): void {
  const [calendar] = Object.values(emulator.state.calendars);
  if (!calendar) throw new Error('no calendar');
  const originals = Object.values(calendar.events);
  for (let index = originals.length; index < total; index += 1) {
    const original = originals[index % originals.length]!;
    const id = `copy${index}`;
    calendar.events[id] = {
      ...structuredClone(original),
      resource: { ...structuredClone(original.resource), id },
    };
    calendar.conferences[`copy-request-${index}`] = structuredClone(original.resource.conferenceData!);
    emulator.state.invitations.push({ ...emulator.state.invitations[0]!, eventId: id });
  }
}

async function snapshotCost(emulator: GoogleEmulator, file: string) {
  const times: number[] = [];
  let text = '';
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    text = JSON.stringify(emulator.state);
    times.push(performance.now() - started);
  }
  const writeStarted = performance.now();
  await writeStateFileAtomically(file, text);
  const writeMs = performance.now() - writeStarted;
  return { stringifyMs: median(times), bytes: Buffer.byteLength(text), writeMs };
}

async function insertRate(calendar: calendar_v3.Calendar, count: number, offset: number): Promise<number> {
  const started = performance.now();
  await insertMany(calendar, count, offset);
  return count / ((performance.now() - started) / 1000);
}

/** `count` interview-like events (guest, Meet, private properties) from CONCURRENCY clients at once. */
async function insertMany(calendar: calendar_v3.Calendar, count: number, offset: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = offset + next;
      next += 1;
      const start = new Date(Date.UTC(2030, 0, 1) + index * 3_600_000);
      await calendar.events.insert({
        calendarId: 'primary',
        conferenceDataVersion: 1,
        sendUpdates: 'all',
        requestBody: {
          summary: `Interview ${index}`,
          description: 'Research interview. Reschedule or cancel with the link in your email.',
          start: { dateTime: start.toISOString() },
          end: { dateTime: new Date(start.getTime() + 1_800_000).toISOString() },
          attendees: [{ email: OWNER }, { email: `participant-${index}@example.org` }],
          extendedProperties: { private: { bookingId: `booking-${index}` } },
          conferenceData: {
            createRequest: { requestId: `request-${index}`, conferenceSolutionKey: { type: 'hangoutsMeet' } },
          },
        },
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Auto-approved consent for OWNER, then googleapis' Calendar client with those tokens. */
async function connect(base: string): Promise<calendar_v3.Calendar> {
  const auth = new OAuth2Client({
    ...CLIENT,
    endpoints: { oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`, oauth2TokenUrl: `${base}/token` },
    transporterOptions: { fetchImplementation: fetch },
  });
  const consent = await fetch(
    auth.generateAuthUrl({
      access_type: 'offline',
      scope: ['openid', 'email', 'https://www.googleapis.com/auth/calendar.events'],
      login_hint: OWNER,
    }),
    { redirect: 'manual' },
  );
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`the emulator gave no code (${consent.status})`);
  const { tokens } = await auth.getToken(code);
  auth.setCredentials(tokens);
  return google.calendar({
    version: 'v3',
    rootUrl: `${base}/`,
    auth,
    retry: false,
    fetchImplementation: fetch,
  });
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (value: number) => Math.round(value * 10) / 10;

if (require.main === module) {
  run().then(
    (result) => {
      console.log(`\n${result.title}`);
      for (const row of result.rows) {
        console.log(`  ${row.label.padEnd(72)} ${row.value}${row.goal ? `  (goal ${row.goal})` : ''}`);
      }
      console.log(JSON.stringify(result.keys));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
