import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../src/google';
import { changeStatus } from '../../src/participants/change-status';
import type { SignedIn, Stack } from '../support/stack';

/**
 * A booked interview as the booking flow leaves it (DESIGN 1.3), made directly so the sync
 * tests do not depend on the booking page: a study and a participant through the API, a
 * confirmed booking row, the event on the researcher's calendar (client-chosen id, both
 * attendees, `bookingId` in the private properties) and the participant `scheduled`.
 */
export interface BookedInterview {
  researcher: SignedIn;
  studyId: string;
  participantId: string;
  participantEmail: string;
  bookingId: string;
  eventId: string;
  calendarId: string;
  start: Date;
  end: Date;
}

const studyBody = {
  title: 'Checkout interviews',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
  availability: { weekly: { mon: [{ start: '09:00', end: '17:00' }] } },
};

export async function api(stack: Stack, who: SignedIn, method: string, path: string, body?: unknown) {
  const answer = await fetch(`${stack.url}${path}`, {
    method,
    headers: { ...who.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
  return answer.json();
}

export async function bookInterview(
  stack: Stack,
  researcher: SignedIn,
  options: { start: Date; minutes?: number; participantEmail?: string; studyId?: string },
): Promise<BookedInterview> {
  const studyId = options.studyId ?? (await api(stack, researcher, 'POST', '/api/studies', studyBody)).id;
  const participantEmail = options.participantEmail ?? `p-${randomUUID().slice(0, 8)}@example.com`;
  const { participants } = await api(stack, researcher, 'POST', `/api/studies/${studyId}/participants`, {
    participants: [{ name: 'Pat Doe', email: participantEmail }],
  });
  const participantId: string = participants[0].id;
  const start = options.start;
  const end = new Date(start.getTime() + (options.minutes ?? 30) * 60_000);
  const bookingId = randomUUID();
  const eventId = eventIdForBooking(bookingId);
  const calendarId = researcher.email;

  await stack.knex('bookings').insert({
    id: bookingId,
    participant_id: participantId,
    study_id: studyId,
    researcher_id: researcher.researcherId,
    during: stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, end]),
    state: 'confirmed',
    google_event_id: eventId,
    calendar_id: calendarId,
  });
  const event = await stack.features.access.withCalendar(researcher.researcherId, ({ client }) =>
    client.insertEvent(
      calendarId,
      {
        id: eventId,
        summary: 'Checkout interview',
        start: { dateTime: start.toISOString() },
        end: { dateTime: end.toISOString() },
        attendees: [{ email: researcher.email }, { email: participantEmail }],
        extendedProperties: { private: { bookingId } },
      },
      { sendUpdates: 'all' },
    ),
  );
  await stack.knex.transaction(async (trx) => {
    await trx('bookings')
      .where({ id: bookingId })
      .update({
        etag: event.etag,
        sequence: event.sequence,
        event_updated_at: event.updated ? new Date(event.updated) : null,
        meet_url: event.hangoutLink ?? null,
      });
    await changeStatus(trx, {
      participantId,
      to: 'scheduled',
      source: 'system',
      actor: 'booking test',
      hasLiveBooking: true,
    });
  });
  return {
    researcher,
    studyId,
    participantId,
    participantEmail,
    bookingId,
    eventId,
    calendarId,
    start,
    end,
  };
}

/** `hours` from now, on a whole hour (UTC). */
export function hoursFromNow(hours: number): Date {
  const at = new Date(Date.now() + hours * 3600_000);
  at.setUTCMinutes(0, 0, 0);
  return at;
}
