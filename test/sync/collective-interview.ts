import { randomUUID } from 'node:crypto';
import { eventIdForBooking } from '../../src/google';
import { changeStatus } from '../../src/participants/change-status';
import type { SignedIn, Stack } from '../support/stack';
import { api } from './booked-interview';

/**
 * A collective interview as the booking will leave it (issue 15), made directly so these
 * tests do not depend on the booking flow: the booking row organised by the first host
 * (`bookings.researcher_id`; its `booking_hosts` row comes from the trigger), a
 * `booking_hosts` row for every other host, and one event on the organizer's calendar with
 * every host and the participant as attendees and the booking id in its private properties.
 * The emulator puts a copy on each other host's calendar, as Google does.
 */
export interface CollectiveInterview {
  organizer: SignedIn;
  hosts: SignedIn[];
  studyId: string;
  participantId: string;
  participantEmail: string;
  bookingId: string;
  eventId: string;
  start: Date;
  end: Date;
}

export async function bookCollective(
  stack: Stack,
  organizer: SignedIn,
  hosts: SignedIn[],
  options: { start: Date; studyId: string },
): Promise<CollectiveInterview> {
  const participantEmail = `p-${randomUUID().slice(0, 8)}@example.com`;
  const { participants } = await api(
    stack,
    organizer,
    'POST',
    `/api/studies/${options.studyId}/participants`,
    {
      participants: [{ name: 'Pat Doe', email: participantEmail }],
    },
  );
  const participantId: string = participants[0].id;
  const start = options.start;
  const end = new Date(start.getTime() + 30 * 60_000);
  const bookingId = randomUUID();
  const eventId = eventIdForBooking(bookingId);
  const during = stack.knex.raw(`tstzrange(?, ?, '[)')`, [start, end]);
  await stack.knex.transaction(async (trx) => {
    await trx('bookings').insert({
      id: bookingId,
      participant_id: participantId,
      study_id: options.studyId,
      researcher_id: organizer.researcherId,
      during,
      state: 'confirmed',
      google_event_id: eventId,
      calendar_id: organizer.email,
    });
    await trx('booking_hosts').insert(
      hosts.map((host) => ({ booking_id: bookingId, researcher_id: host.researcherId, during, live: true })),
    );
  });
  const event = await stack.features.access.withCalendar(organizer.researcherId, ({ client }) =>
    client.insertEvent(
      organizer.email,
      {
        id: eventId,
        summary: 'Checkout interview',
        start: { dateTime: start.toISOString() },
        end: { dateTime: end.toISOString() },
        attendees: [
          { email: organizer.email, responseStatus: 'accepted' },
          ...hosts.map((host) => ({ email: host.email })),
          { email: participantEmail, displayName: 'Pat Doe' },
        ],
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
      });
    await changeStatus(trx, {
      participantId,
      to: 'scheduled',
      source: 'system',
      actor: 'booking test',
      details: { bookingId, start: start.toISOString(), end: end.toISOString() },
      hasLiveBooking: true,
    });
  });
  return {
    organizer,
    hosts,
    studyId: options.studyId,
    participantId,
    participantEmail,
    bookingId,
    eventId,
    start,
    end,
  };
}

/** Puts `member` in `lead`'s team (what accepting an invitation does). */
export async function joinTeam(stack: Stack, lead: SignedIn, member: SignedIn): Promise<void> {
  const { team_id: teamId } = (await stack
    .knex('researchers')
    .where({ id: lead.researcherId })
    .first('team_id')) as {
    team_id: string;
  };
  await stack.knex('researchers').where({ id: member.researcherId }).update({ team_id: teamId });
}
