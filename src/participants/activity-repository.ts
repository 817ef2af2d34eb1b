import type { Knex } from 'knex';
import type { AttendeeResponse } from '../sync/google-event-view';
import type { Observation, SeenEvent } from '../sync/event-observations';
import type { HostResponseActivity } from '../sync/host-responses';

type Db = Knex | Knex.Transaction;

/**
 * `participant_activity`: what happened to a participant's interview that is not a status
 * change (an RSVP, a changed title, location or Meet link), written in the transaction of
 * the change itself; and `booking_event_seen`, the event as the sync last saw it.
 * Another part may record its own kinds here through `insertActivities` (the table's kind
 * check lists the allowed ones).
 */

export async function insertActivities(
  trx: Knex.Transaction,
  participantId: string,
  bookingId: string | null,
  observations: readonly (Observation | HostResponseActivity)[],
): Promise<void> {
  if (observations.length === 0) return;
  await trx('participant_activity').insert(
    observations.map((observation) => ({
      participant_id: participantId,
      booking_id: bookingId,
      kind: observation.kind,
      source: observation.source,
      details: JSON.stringify(observation.details),
    })),
  );
}

export async function findSeenEvent(db: Db, bookingId: string): Promise<SeenEvent | null> {
  const row = (await db('booking_event_seen')
    .where({ booking_id: bookingId })
    .first('summary', 'location', 'participant_response')) as
    | { summary: string | null; location: string | null; participant_response: AttendeeResponse | null }
    | undefined;
  return row
    ? { summary: row.summary, location: row.location, participantResponse: row.participant_response }
    : null;
}

export async function saveSeenEvent(
  trx: Knex.Transaction,
  bookingId: string,
  seen: SeenEvent,
): Promise<void> {
  await trx('booking_event_seen')
    .insert({
      booking_id: bookingId,
      summary: seen.summary,
      location: seen.location,
      participant_response: seen.participantResponse,
    })
    .onConflict('booking_id')
    .merge({
      summary: seen.summary,
      location: seen.location,
      participant_response: seen.participantResponse,
      seen_at: trx.fn.now(),
    });
}
