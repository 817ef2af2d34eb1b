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
