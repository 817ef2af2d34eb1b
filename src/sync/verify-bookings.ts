import type { Booking } from '../bookings/booking-repository';
import type { ResearcherCalendar } from '../connections/google-access';
import { GoogleApiError, withGoogleRetry, type CalendarEvent } from '../google';
import { applyOrSkip, applyToBookings } from './apply-events';
import type { AppliedEvent, ApplyDeps } from './apply-reconcile';
import { SYNC_RETRY } from './google-retry';
import { renewFailedConferences } from './meet-renewal';
import { toGoogleEventView } from './google-event-view';

const DAY_MS = 24 * 3600_000;

export interface VerifyResult {
  checked: number;
  applied: AppliedEvent[];
  /** Live bookings whose event was not in the window and had to be fetched on its own. */
  fetchedAlone: number;
}

/**
 * Checks bookings against the calendar as it is now, without a sync token: one paged
 * `events.list` over the window the bookings span (deleted events included), matched to the
 * bookings by event id. A property filter (`privateExtendedProperty=bookingId=…`) would need
 * one call per booking, as each booking has its own value; the window needs one per calendar.
 *
 * A live booking whose event is not in the window was moved far away or is gone: only those
 * few are fetched one by one, and a 404 means gone (participant `canceled`). A pending
 * booking is skipped then — its insert may not have happened yet and its retry job owns it.
 */
export async function verifyBookings(
  deps: ApplyDeps,
  calendar: ResearcherCalendar,
  bookings: readonly Booking[],
): Promise<VerifyResult> {
  if (bookings.length === 0) return { checked: 0, applied: [], fetchedAlone: 0 };
  const seen = new Set<string>();
  const applied: AppliedEvent[] = [];
  const pages = calendar.client.listAllEvents(
    {
      calendarId: calendar.calendarId,
      ...windowOf(bookings),
      showDeleted: true,
      maxResults: 2500,
    },
    { retry: SYNC_RETRY },
  );
  for await (const page of pages) {
    for (const item of page.items) if (typeof item.id === 'string') seen.add(item.id);
    applied.push(...(await applyToBookings(deps, bookings, page.items)));
  }
  const missing = bookings.filter(
    (booking) => booking.state === 'confirmed' && !seen.has(booking.googleEventId),
  );
  for (const booking of missing) {
    const event = await fetchEvent(calendar, booking.googleEventId);
    const result = await applyOrSkip(deps, booking, event ? toGoogleEventView(event) : { gone: true });
    if (result) applied.push(result);
  }
  await renewFailedConferences(deps, calendar, applied);
  return { checked: bookings.length, applied, fetchedAlone: missing.length };
}

/** From a day before the first booking to a day after the last (timeMin bounds ends, timeMax starts). */
function windowOf(bookings: readonly Booking[]): { timeMin: Date; timeMax: Date } {
  // A loop, not Math.min(...spread): a busy calendar may hold more bookings than arguments fit.
  let first = Infinity;
  let last = -Infinity;
  for (const booking of bookings) {
    first = Math.min(first, booking.start.getTime());
    last = Math.max(last, booking.end.getTime());
  }
  return { timeMin: new Date(first - DAY_MS), timeMax: new Date(last + DAY_MS) };
}

/** The event, or undefined when Google no longer has it (404, or 410 for a purged one). */
async function fetchEvent(calendar: ResearcherCalendar, eventId: string): Promise<CalendarEvent | undefined> {
  try {
    return await withGoogleRetry(
      'calendar.events.get',
      () => calendar.client.getEvent(calendar.calendarId, eventId),
      SYNC_RETRY,
    );
  } catch (error) {
    if (
      error instanceof GoogleApiError &&
      (error.failure.kind === 'notFound' || error.failure.kind === 'gone')
    ) {
      return undefined;
    }
    throw error;
  }
}
