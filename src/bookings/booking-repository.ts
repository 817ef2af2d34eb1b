import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export type BookingState = 'pending' | 'confirmed' | 'cancelled';

export interface Booking {
  id: string;
  participantId: string;
  studyId: string;
  researcherId: string;
  start: Date;
  end: Date;
  state: BookingState;
  googleEventId: string;
  calendarId: string;
  etag: string | null;
  sequence: number | null;
  eventUpdatedAt: Date | null;
  meetUrl: string | null;
  htmlLink: string | null;
  insertAttempts: number;
  lastError: string | null;
  createdAt: Date;
  cancelledAt: Date | null;
  /** The time Google's event still has while a move made here is on its way there; else null. */
  eventMovedFrom: { start: Date; end: Date } | null;
  /** The event's organizer when it is no longer the calendar it was booked on; else null. */
  eventOrganizer: string | null;
}

export interface BookingRow {
  id: string;
  participant_id: string;
  study_id: string;
  researcher_id: string;
  start: Date;
  end: Date;
  state: BookingState;
  google_event_id: string;
  calendar_id: string;
  etag: string | null;
  sequence: number | null;
  event_updated_at: Date | null;
  meet_url: string | null;
  html_link: string | null;
  insert_attempts: number;
  last_error: string | null;
  created_at: Date;
  cancelled_at: Date | null;
  moved_from_start: Date | null;
  moved_from_end: Date | null;
  event_organizer: string | null;
}

export const BOOKING_COLUMNS = [
  'id',
  'participant_id',
  'study_id',
  'researcher_id',
  'lower(during) as start',
  'upper(during) as end',
  'state',
  'google_event_id',
  'calendar_id',
  'etag',
  'sequence',
  'event_updated_at',
  'meet_url',
  'html_link',
  'insert_attempts',
  'last_error',
  'created_at',
  'cancelled_at',
  'lower(event_moved_from) as moved_from_start',
  'upper(event_moved_from) as moved_from_end',
  'event_organizer',
].join(', ');

export function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    participantId: row.participant_id,
    studyId: row.study_id,
    researcherId: row.researcher_id,
    start: row.start,
    end: row.end,
    state: row.state,
    googleEventId: row.google_event_id,
    calendarId: row.calendar_id,
    etag: row.etag,
    sequence: row.sequence,
    eventUpdatedAt: row.event_updated_at,
    meetUrl: row.meet_url,
    htmlLink: row.html_link,
    insertAttempts: row.insert_attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
    eventMovedFrom:
      row.moved_from_start && row.moved_from_end
        ? { start: row.moved_from_start, end: row.moved_from_end }
        : null,
    eventOrganizer: row.event_organizer,
  };
}

export async function findBooking(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db('bookings').where({ id }).first(db.raw(BOOKING_COLUMNS));
  if (options.forUpdate) query.forUpdate();
  const row = (await query) as BookingRow | undefined;
  return row ? toBooking(row) : undefined;
}

export async function findBookingByEventId(
  db: Db,
  googleEventId: string,
  options: { forUpdate?: boolean } = {},
) {
  const query = db('bookings').where({ google_event_id: googleEventId }).first(db.raw(BOOKING_COLUMNS));
  if (options.forUpdate) query.forUpdate();
  const row = (await query) as BookingRow | undefined;
  return row ? toBooking(row) : undefined;
}

/** Frees the slot: a cancelled booking no longer takes part in the exclusion constraint. */
export async function markBookingCancelled(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('bookings')
    .where({ id })
    .whereNot({ state: 'cancelled' })
    .update({ state: 'cancelled', cancelled_at: trx.fn.now(), updated_at: trx.fn.now() });
}

/**
 * The grant did not allow deleting this cancelled booking's event: remembered (first time
 * kept) so that reconnecting deletes it, and only it.
 */
export async function markEventDeletePending(db: Db, id: string): Promise<void> {
  await db('bookings')
    .where({ id, state: 'cancelled' })
    .whereNull('event_delete_pending_since')
    .update({ event_delete_pending_since: db.fn.now(), updated_at: db.fn.now() });
}

/** The event is deleted, or Google says it is gone already: nothing is owed any more. */
export async function clearEventDeletePending(db: Db, id: string): Promise<void> {
  await db('bookings')
    .where({ id })
    .whereNotNull('event_delete_pending_since')
    .update({ event_delete_pending_since: null, updated_at: db.fn.now() });
}

/** Upcoming cancelled bookings of the researcher whose event still has to leave Google. */
export async function findUpcomingEventDeletesPending(db: Db, researcherId: string, now: Date) {
  return db('bookings')
    .where({ researcher_id: researcherId, state: 'cancelled' })
    .whereNotNull('event_delete_pending_since')
    .andWhereRaw('upper(during) > ?', [now])
    .orderBy('event_delete_pending_since')
    .pluck('id') as Promise<string[]>;
}

/** PostgreSQL's exclusion_violation: a range refused for a host (bookings_no_overlap, or booking_hosts_no_overlap for any host the booking occupies). */
export function isOverlapViolation(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return (
    pgError?.code === '23P01' &&
    (pgError.constraint === 'bookings_no_overlap' || pgError.constraint === 'booking_hosts_no_overlap')
  );
}

/** unique_violation on the one-live-booking-per-participant index. */
export function isSecondLiveBooking(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === '23505' && pgError.constraint === 'bookings_one_live_per_participant';
}

export async function insertPendingBooking(
  trx: Knex.Transaction,
  booking: {
    id: string;
    participantId: string;
    studyId: string;
    researcherId: string;
    start: Date;
    end: Date;
    googleEventId: string;
    calendarId: string;
    /** A researcher booked it from the console (with the reason for an override). */
    bookedBy?: { researcherId: string; overrideReason: string | null } | undefined;
  },
): Promise<void> {
  // '[)': the interview ends as the next may begin; the exclusion constraint decides races.
  await trx('bookings').insert({
    id: booking.id,
    participant_id: booking.participantId,
    study_id: booking.studyId,
    researcher_id: booking.researcherId,
    during: trx.raw(`tstzrange(?, ?, '[)')`, [booking.start, booking.end]),
    state: 'pending',
    google_event_id: booking.googleEventId,
    calendar_id: booking.calendarId,
    booked_by_researcher_id: booking.bookedBy?.researcherId ?? null,
    override_reason: booking.bookedBy?.overrideReason ?? null,
  });
}

export interface StoredEventFields {
  etag: string | null;
  sequence: number | null;
  eventUpdatedAt: Date | null;
  meetUrl: string | null;
  htmlLink: string | null;
}

/** Who made a booking from the console, and why past the study's rules; absent for a participant's own. */
export interface BookedBy {
  researcherId: string;
  overrideReason: string | null;
}

/**
 * pending → confirmed with the event's fields. Answers the booking as confirmed, with who
 * booked it, in the same statement; undefined when the booking is no longer pending.
 */
export async function confirmBooking(
  trx: Knex.Transaction,
  id: string,
  fields: StoredEventFields,
): Promise<{ booking: Booking; bookedBy: BookedBy | undefined } | undefined> {
  const { rows } = (await trx.raw(
    `UPDATE bookings
        SET state = 'confirmed', etag = ?, sequence = ?, event_updated_at = ?, meet_url = ?,
            html_link = ?, last_error = NULL, updated_at = now()
      WHERE id = ? AND state = 'pending'
      RETURNING ${BOOKING_COLUMNS}, booked_by_researcher_id, override_reason`,
    [fields.etag, fields.sequence, fields.eventUpdatedAt, fields.meetUrl, fields.htmlLink, id],
  )) as {
    rows: (BookingRow & { booked_by_researcher_id: string | null; override_reason: string | null })[];
  };
  const row = rows[0];
  if (!row) return undefined;
  return {
    booking: toBooking(row),
    bookedBy: row.booked_by_researcher_id
      ? { researcherId: row.booked_by_researcher_id, overrideReason: row.override_reason }
      : undefined,
  };
}

export async function updateEventFields(db: Db, id: string, fields: StoredEventFields): Promise<void> {
  await db('bookings').where({ id }).update({
    etag: fields.etag,
    sequence: fields.sequence,
    event_updated_at: fields.eventUpdatedAt,
    meet_url: fields.meetUrl,
    html_link: fields.htmlLink,
    updated_at: db.fn.now(),
  });
}

export async function recordInsertAttempt(db: Db, id: string, error: string | null): Promise<void> {
  await db('bookings')
    .where({ id })
    .update({ insert_attempts: db.raw('insert_attempts + 1'), last_error: error, updated_at: db.fn.now() });
}

export async function moveBookingRange(
  trx: Knex.Transaction,
  id: string,
  start: Date,
  end: Date,
): Promise<void> {
  // The first move's "from" is kept: Google's event has not left that time until a patch lands.
  await trx('bookings')
    .where({ id })
    .update({
      event_moved_from: trx.raw('coalesce(event_moved_from, during)'),
      during: trx.raw(`tstzrange(?, ?, '[)')`, [start, end]),
      // Counts moves: each one's update email is keyed on it, and the .ics SEQUENCE grows.
      revision: trx.raw('revision + 1'),
      updated_at: trx.fn.now(),
    });
}

/** Google's event has this booking's time now (our patch landed): nothing is on its way any more. */
export async function clearEventMovedFrom(db: Db, id: string, start: Date, end: Date): Promise<void> {
  await db('bookings')
    .where({ id })
    .whereNotNull('event_moved_from')
    .andWhereRaw(`during = tstzrange(?, ?, '[)')`, [start, end])
    .update({ event_moved_from: null, updated_at: db.fn.now() });
}

export async function findPendingBookingIds(db: Db, olderThan: Date): Promise<string[]> {
  return db('bookings')
    .where({ state: 'pending' })
    .andWhere('created_at', '<', olderThan)
    .orderBy('created_at')
    .pluck('id');
}
