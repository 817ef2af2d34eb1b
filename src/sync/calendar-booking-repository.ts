import type { Knex } from 'knex';
import {
  BOOKING_COLUMNS,
  isOverlapViolation,
  toBooking,
  type Booking,
  type BookingRow,
} from '../bookings/booking-repository';
import type { BookingChanges } from './reconcile';

type Db = Knex | Knex.Transaction;

/**
 * The booking queries of the calendar sync. Bookings are matched to Google events by event
 * id, never by the `bookingId` property alone: a deleted event in an incremental sync carries
 * little more than its id, and a copy of our event carries our property under another id.
 */

/** The researcher's bookings among these Google event ids (one query per page of events). */
export async function findBookingsByEventIds(
  db: Db,
  researcherId: string,
  eventIds: readonly string[],
): Promise<Booking[]> {
  if (eventIds.length === 0) return [];
  const rows = (await db('bookings')
    .where({ researcher_id: researcherId })
    .whereIn('google_event_id', [...eventIds])
    .select(db.raw(BOOKING_COLUMNS))) as BookingRow[];
  return rows.map(toBooking);
}

/**
 * Bookings on this calendar that end after `endingAfter`, soonest first: live ones (pending or
 * confirmed) and, with `includeCancelled`, cancelled ones too — a cancelled booking comes back
 * when the participant accepts again, which a resync must not miss. Bookings made on another
 * calendar (a researcher who reconnected with another Google account) are left out: their
 * events are not on this calendar, and not finding them there proves nothing.
 */
export async function listBookingsToVerify(
  db: Db,
  researcherId: string,
  calendarId: string,
  options: { endingAfter: Date; includeCancelled: boolean },
): Promise<Booking[]> {
  const query = db('bookings')
    .where({ researcher_id: researcherId, calendar_id: calendarId })
    .andWhereRaw('upper(during) > ?', [options.endingAfter])
    .orderByRaw('lower(during), id')
    .select(db.raw(BOOKING_COLUMNS));
  if (!options.includeCancelled) query.andWhereNot({ state: 'cancelled' });
  return ((await query) as BookingRow[]).map(toBooking);
}

/**
 * Writes what the reconciler decided. The range is written whole (a move may change only one
 * end); a booking cancelled here frees its slot at once, one revived takes it back — either
 * may fail on the exclusion constraint or the one-live-booking index, which the caller handles.
 */
export async function writeBookingChanges(
  trx: Knex.Transaction,
  booking: Booking,
  changes: BookingChanges,
): Promise<void> {
  const values: Record<string, unknown> = {};
  if (changes.start !== undefined || changes.end !== undefined) {
    values.during = trx.raw(`tstzrange(?, ?, '[)')`, [
      changes.start ?? booking.start,
      changes.end ?? booking.end,
    ]);
    // The time comes from Google now; a move of ours that had not reached it is superseded.
    values.event_moved_from = null;
    // A move counts (the update email is keyed on it; the .ics SEQUENCE grows with it).
    values.revision = trx.raw('revision + 1');
  }
  if (changes.moveArrived) values.event_moved_from = null;
  if (changes.state !== undefined) {
    values.state = changes.state;
    values.cancelled_at = changes.state === 'cancelled' ? trx.fn.now() : null;
  }
  if (changes.sequence !== undefined) values.sequence = changes.sequence;
  if (changes.eventUpdatedAt !== undefined) values.event_updated_at = changes.eventUpdatedAt;
  if (changes.etag !== undefined) values.etag = changes.etag;
  if (changes.eventOrganizer !== undefined) values.event_organizer = changes.eventOrganizer;
  if (changes.meetUrl !== undefined) values.meet_url = changes.meetUrl;
  if (Object.keys(values).length === 0) return;
  await trx('bookings')
    .where({ id: booking.id })
    .update({ ...values, updated_at: trx.fn.now() });
}

/**
 * An exclusion constraint (overlap for any host the booking occupies: a calendar move of a
 * collective interview can collide on a host who is not its organizer) or the
 * one-live-booking-per-participant index refused a write.
 */
export function isSlotConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return (
    isOverlapViolation(error) || (code === '23505' && constraint === 'bookings_one_live_per_participant')
  );
}
