import type { Stack } from '../support/stack';
import { eventually } from '../support/stack';
import { api, type BookedInterview } from './booked-interview';

/** What the sync tests do and look at: Google Calendar users' actions, the API, the queue. */

/** Acts as a person in Google Calendar, through the emulator's admin API. */
export async function asGoogleUser(stack: Stack, path: string, body: unknown = {}): Promise<unknown> {
  const answer = await fetch(`${stack.emulatorUrl}/_emulator${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status >= 400) throw new Error(`emulator ${path}: ${answer.status} ${await answer.text()}`);
  return answer.status === 204 ? undefined : answer.json();
}

export const eventPath = (interview: BookedInterview, action: string) =>
  `/calendars/${encodeURIComponent(interview.calendarId)}/events/${interview.eventId}/${action}`;

export interface ParticipantView {
  status: string;
  scheduledStart: string | null;
  scheduledEnd: string | null;
  history: { kind: string; from: string | null; to: string; source: string; details: unknown }[];
}

export async function participantOf(stack: Stack, interview: BookedInterview): Promise<ParticipantView> {
  return api(stack, interview.researcher, 'GET', `/api/participants/${interview.participantId}`);
}

export async function bookingRow(stack: Stack, interview: BookedInterview) {
  return stack
    .knex('bookings')
    .where({ id: interview.bookingId })
    .first('state', stack.knex.raw('lower(during) as start'), stack.knex.raw('upper(during) as end'), 'etag');
}

/**
 * Until Google's push notifications are delivered and the syncs they caused are over: a test
 * that then edits a booking in the database is not undone by a late sync of its own event.
 */
export async function pushesAndSyncsSettled(stack: Stack): Promise<void> {
  await stack.emulator.pushSettled();
  await waitForSyncsToFinish(stack);
}

/** Until no calendar sync waits or runs (read from pg-boss's table: the test's view only). */
export async function waitForSyncsToFinish(stack: Stack): Promise<void> {
  await eventually(async () => {
    const live = await stack
      .knex('pgboss.job')
      .where({ name: 'sync-calendar' })
      .whereIn('state', ['created', 'retry', 'active'])
      .count<{ count: string }[]>('* as count');
    return Number(live[0]?.count) === 0;
  }, 10_000);
}
