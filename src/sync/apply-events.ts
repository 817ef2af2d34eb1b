import type { Booking } from '../bookings/booking-repository';
import type { CalendarEvent } from '../google';
import { Conflict } from '../http/problem';
import { applyCalendarEvent, type AppliedEvent, type ApplyDeps } from './apply-reconcile';
import { findBookingsByEventIds } from './calendar-booking-repository';
import { toGoogleEventView, type GoogleEventView } from './google-event-view';
import { failedMeetRequest } from './meet-renewal';
import { isAppliedVersion, type GoneEvent } from './reconcile';

/**
 * Applies one page of a calendar listing: the bookings behind its events are found with one
 * query, then each event is applied in its own transaction. Events that belong to no booking
 * of this researcher (everything else on the calendar) are skipped.
 */
export async function applyEventsPage(
  deps: ApplyDeps,
  researcherId: string,
  items: readonly CalendarEvent[],
): Promise<AppliedEvent[]> {
  const eventIds = items.flatMap((item) => (typeof item.id === 'string' && item.id !== '' ? [item.id] : []));
  const bookings = await findBookingsByEventIds(deps.knex, researcherId, eventIds);
  return applyToBookings(deps, bookings, items);
}

/** Applies each item whose event id is one of `bookings`' events; returns what each did. */
export async function applyToBookings(
  deps: ApplyDeps,
  bookings: readonly Booking[],
  items: readonly CalendarEvent[],
): Promise<AppliedEvent[]> {
  const byEventId = new Map(bookings.map((booking) => [booking.googleEventId, booking]));
  const applied: AppliedEvent[] = [];
  for (const item of items) {
    const booking = typeof item.id === 'string' ? byEventId.get(item.id) : undefined;
    if (!booking) continue;
    const result = await applyOrSkip(deps, booking, toGoogleEventView(item));
    if (result) applied.push(result);
  }
  return applied;
}

/**
 * A status change the rule book refuses (it throws a Conflict) is logged and skipped rather
 * than failing the whole sync: retrying cannot change the rules, and a sync that can never
 * finish would never store its token again. Any other error (the database) fails the sync,
 * which is retried from the token it started with.
 *
 * An event in the version the booking already has (the common case of the nightly check,
 * where nearly every booking is as Google has it) is answered without a transaction: the
 * reconciler would ignore it as 'unchanged' after locking two rows and reading three.
 */
export async function applyOrSkip(
  deps: ApplyDeps,
  booking: Booking,
  event: GoogleEventView | GoneEvent,
): Promise<AppliedEvent | undefined> {
  const failed = failedMeetRequest(booking, event);
  const meet = failed ? { meetRequestFailed: { requestId: failed, eventId: booking.googleEventId } } : {};
  if (isAppliedVersion(booking, event)) {
    return {
      bookingId: booking.id,
      participantId: booking.participantId,
      changes: [],
      ignoredBecause: 'unchanged',
      ...meet,
    };
  }
  try {
    const applied = await applyCalendarEvent(deps, booking.id, event);
    return applied ? { ...applied, ...meet } : undefined;
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    deps.logger.error(
      { err: error, bookingId: booking.id },
      'calendar change refused by the status rules; skipped',
    );
    return undefined;
  }
}
