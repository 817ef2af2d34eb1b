/**
 * `finish_jobs_per_s`: 1,000 bookings held while Google refuses every event insert (the
 * emulator's fault injection), then the outage ends: confirmed bookings per second from
 * then until every one is on the calendar.
 */
import { runAlone } from '../support/report';
import { signInResearcher } from '../support/sign-in';
import { startStack } from '../support/stack';
import { inParallel } from './seed-interviews';
import { createStudy, json } from './queue-bench-support';
import type { BenchCase } from './types';

/** Fewer with BENCH_HELD_BOOKINGS=n, to compare with code too slow for the full run. */
const HELD = Number(process.env.BENCH_HELD_BOOKINGS ?? 1_000);
/** Booking requests at once while holding; each waits out its own retries (about 8 s). */
const CLIENTS = 64;
const SLOT_MS = 30 * 60_000;
const GIVE_UP_MS = 30 * 60_000;

export async function run(): Promise<BenchCase> {
  const stack = await startStack({ JSON_BODY_LIMIT: '1mb' });
  const service = stack.service;
  const emulatorUrl = stack.emulator.url;
  try {
    const { headers: auth } = await signInResearcher(service.url, emulatorUrl, 'finish-bench@example.com');
    const studyId = await createStudy(service.url, auth, 60);
    const people = Array.from({ length: HELD }, (_, index) => ({
      name: `Participant ${index}`,
      email: `held${index}@example.org`,
    }));
    const { participants } = await json<{ participants: { bookingUrl: string }[] }>(
      fetch(`${service.url}/api/studies/${studyId}/participants`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ participants: people }),
      }),
    );
    const tokens = participants.map((participant) => participant.bookingUrl.split('/book/')[1] ?? '');

    await emulatorFaults(emulatorUrl, 'POST', { status: 503, operation: 'events.insert' });
    const holdStarted = performance.now();
    const firstSlot = Math.ceil((Date.now() + 2 * 3_600_000) / SLOT_MS) * SLOT_MS;
    const statuses = await inParallel(tokens, CLIENTS, async (token, index) => {
      const body = JSON.stringify({ start: new Date(firstSlot + index * SLOT_MS).toISOString() });
      // A 503 (the service busy) is asked again, as a participant's page would: the same slot
      // from the same link answers with the booking already held.
      for (let attempt = 1; ; attempt += 1) {
        const answer = await fetch(`${service.url}/api/booking/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await answer.arrayBuffer();
        if (answer.status !== 503 || attempt === 10) return answer.status;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
    const held = statuses.filter((status) => status === 202).length;
    if (held !== HELD) {
      const counts = statuses.reduce<Record<number, number>>(
        (all, status) => ({ ...all, [status]: (all[status] ?? 0) + 1 }),
        {},
      );
      throw new Error(`expected ${HELD} bookings held (202), got ${JSON.stringify(counts)}`);
    }
    const holdSeconds = (performance.now() - holdStarted) / 1000;

    await emulatorFaults(emulatorUrl, 'DELETE');
    const recovered = performance.now();
    const deadline = recovered + GIVE_UP_MS;
    let confirmed = 0;
    while (confirmed < HELD) {
      if (performance.now() > deadline) throw new Error(`only ${confirmed} of ${HELD} confirmed in time`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      confirmed = await scheduledCount(service.url, auth, studyId);
    }
    const seconds = (performance.now() - recovered) / 1000;
    const events = await eventCount(emulatorUrl, 'finish-bench@example.com');
    const perSecond = HELD / seconds;
    return {
      title: `Finishing held bookings after a Google outage (${HELD} held)`,
      rows: [
        { label: 'bookings held (202) during the outage', value: `${held} in ${holdSeconds.toFixed(0)} s` },
        { label: 'outage end to the last booking confirmed', value: `${seconds.toFixed(1)} s` },
        { label: 'calendar events afterwards (one per booking)', value: String(events) },
        { label: 'finished bookings per second', value: `${perSecond.toFixed(1)}/s`, goal: '≥ 50/s' },
      ],
      keys: { finish_jobs_per_s: Number(perSecond.toFixed(1)) },
    };
  } finally {
    await stack.stop();
  }
}

async function emulatorFaults(emulatorUrl: string, method: 'POST' | 'DELETE', rule?: object): Promise<void> {
  const answer = await fetch(`${emulatorUrl}/_emulator/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(rule ? { body: JSON.stringify(rule) } : {}),
  });
  if (!answer.ok) throw new Error(`faults ${method}: ${answer.status}`);
}

async function scheduledCount(serviceUrl: string, auth: Record<string, string>, studyId: string) {
  const { participants } = await json<{ participants: unknown[] }>(
    fetch(`${serviceUrl}/api/studies/${studyId}/participants?status=scheduled&limit=5000`, {
      headers: auth,
    }),
  );
  return participants.length;
}

async function eventCount(emulatorUrl: string, calendarId: string): Promise<number> {
  const state = await json<{ events: Record<string, unknown[]> }>(fetch(`${emulatorUrl}/_emulator/state`));
  return state.events[calendarId]?.length ?? 0;
}

if (require.main === module) runAlone(run);
