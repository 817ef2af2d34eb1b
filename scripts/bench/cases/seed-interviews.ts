/**
 * Seeding for the sync benchmarks: researchers signed in through the emulator's consent, and
 * booked interviews made directly as the booking flow leaves them (a study and participants
 * through the API, the booking row and the participant's status through the repositories,
 * the event on the calendar through the emulator) — seeding is not what is measured.
 */
import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../../src/google';
import { changeStatus } from '../../../src/participants/change-status';
import { signInResearcher, type Researcher } from '../support/sign-in';
import type { BenchStack } from '../support/stack';

export interface SeededInterview {
  researcherId: string;
  calendarId: string;
  bookingId: string;
  eventId: string;
  participantId: string;
  participantEmail: string;
  start: Date;
  end: Date;
}

/** Runs `work` over the items, at most `concurrency` at a time; answers in the items' order. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export function signInResearchers(
  stack: BenchStack,
  prefix: string,
  count: number,
  concurrency = 8,
): Promise<Researcher[]> {
  const emails = Array.from({ length: count }, (_, index) => `${prefix}-${index}@lab.example`);
  return inParallel(emails, concurrency, (email) =>
    signInResearcher(stack.service.url, stack.emulator.url, email),
  );
}

async function api<T>(stack: BenchStack, who: Researcher, path: string, body: unknown): Promise<T> {
  const answer = await fetch(`${stack.service.url}${path}`, {
    method: 'POST',
    headers: who.headers,
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`POST ${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

export async function emulatorPost<T = unknown>(stack: BenchStack, path: string, body: unknown): Promise<T> {
  const answer = await fetch(`${stack.emulator.url}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`emulator POST ${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json().catch(() => ({}))) as T;
}

/**
 * `count` confirmed interviews of 30 minutes for the researcher, the first at `firstStart`,
 * then one every `spacingMs` (wide apart, so moving one never makes it overlap another).
 */
export async function seedInterviews(
  stack: BenchStack,
  researcher: Researcher,
  count: number,
  firstStart: Date,
  spacingMs: number,
): Promise<SeededInterview[]> {
  const weekly = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '23:30' }]]),
  );
  const study = await api<{ id: string }>(stack, researcher, '/api/studies', {
    title: 'Bench interviews',
    durationMinutes: 30,
    timeZone: 'UTC',
    availability: { weekly },
  });
  const people = Array.from({ length: count }, (_, index) => ({
    name: `Participant ${index}`,
    email: `p${index}-${researcher.id.slice(0, 8)}@example.org`,
  }));
  const { participants } = await api<{ participants: { id: string; email: string }[] }>(
    stack,
    researcher,
    `/api/studies/${study.id}/participants`,
    { participants: people },
  );
  const interviews: SeededInterview[] = [];
  for (const [index, participant] of participants.entries()) {
    const start = new Date(firstStart.getTime() + index * spacingMs);
    const end = new Date(start.getTime() + 30 * 60_000);
    const bookingId = randomUUID();
    const eventId = eventIdForBooking(bookingId);
    await stack.knex('bookings').insert({
      id: bookingId,
      participant_id: participant.id,
      study_id: study.id,
      researcher_id: researcher.id,
      during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, end]),
      state: 'confirmed',
      google_event_id: eventId,
      calendar_id: researcher.email,
    });
    const event = await emulatorPost<{ etag: string; sequence: number; updated: string }>(
      stack,
      `/calendars/${encodeURIComponent(researcher.email)}/events`,
      {
        id: eventId,
        summary: 'Bench interview',
        start: { dateTime: start.toISOString() },
        end: { dateTime: end.toISOString() },
        attendees: [{ email: researcher.email }, { email: participant.email }],
        extendedProperties: { private: { bookingId } },
        sendUpdates: 'none',
      },
    );
    // The participant first, then the booking: the service's order (a sync of the event just
    // inserted may run at once; the other order deadlocked with it).
    await stack.knex.transaction(async (trx) => {
      await changeStatus(trx, {
        participantId: participant.id,
        to: 'scheduled',
        source: 'system',
        actor: 'bench seed',
        hasLiveBooking: true,
      });
      await trx('bookings')
        .where({ id: bookingId })
        .update({ etag: event.etag, sequence: event.sequence, event_updated_at: new Date(event.updated) });
    });
    interviews.push({
      researcherId: researcher.id,
      calendarId: researcher.email,
      bookingId,
      eventId,
      participantId: participant.id,
      participantEmail: participant.email,
      start,
      end,
    });
  }
  return interviews;
}

/** Sync jobs waiting or running (none: every notification so far has been synced). */
export async function syncJobsLeft(stack: BenchStack): Promise<number> {
  const rows = await stack
    .knex('pgboss.job')
    .where({ name: 'sync-calendar' })
    .whereIn('state', ['created', 'retry', 'active'])
    .count<{ count: string }[]>('* as count');
  return Number(rows[0]?.count ?? 0);
}

/** A counter of /metrics, summed over its labels. */
export async function metricTotal(stack: BenchStack, name: string): Promise<number> {
  const text = await (await fetch(`${stack.service.url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) total += Number(line.split(' ').pop());
  }
  return total;
}
