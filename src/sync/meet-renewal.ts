import type { Booking } from '../bookings/booking-repository';
import type { ResearcherCalendar } from '../connections/google-access';
import { GoogleApiError } from '../google';
import type { AppliedEvent, ApplyDeps } from './apply-reconcile';
import { normaliseEmail, type GoogleEventView } from './google-event-view';
import type { GoneEvent } from './reconcile';

/**
 * Google makes a Meet conference asynchronously and may answer `failure`; the same requestId
 * never tries again, so a new one is asked for by patching the event. The requestIds are
 * derived from the booking (the booking id, then `<booking id>-meet-2`, `-meet-3`…): the next
 * one follows from the one that failed, so two syncs that see the same failure ask for the
 * same conference, and the number of requests is bounded without storing a counter.
 */
export const MAX_MEET_REQUESTS = 4;

export function nextMeetRequestId(bookingId: string, failedRequestId: string): string | null {
  const suffix = `${bookingId}-meet-`;
  const attempt =
    failedRequestId === bookingId
      ? 1
      : failedRequestId.startsWith(suffix)
        ? Number(failedRequestId.slice(suffix.length))
        : NaN;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt >= MAX_MEET_REQUESTS) return null;
  return `${suffix}${attempt + 1}`;
}

/**
 * The failed requestId of a live booking's own event, when it is ours to ask again: the
 * event stands and is still organised from the booking's calendar (a guest cannot change
 * the conference of someone else's event).
 */
export function failedMeetRequest(booking: Booking, event: GoogleEventView | GoneEvent): string | undefined {
  if ('gone' in event || event.status === 'cancelled' || booking.state === 'cancelled') return undefined;
  if (event.organizer && event.organizer !== normaliseEmail(booking.calendarId)) return undefined;
  if (event.conference?.status !== 'failure' || !event.conference.requestId) return undefined;
  return event.conference.requestId;
}

/** Asks again for each failed conference among `applied`; failures are logged, never thrown. */
export async function renewFailedConferences(
  deps: ApplyDeps,
  calendar: ResearcherCalendar,
  applied: readonly AppliedEvent[],
): Promise<void> {
  for (const result of applied) {
    if (!result.meetRequestFailed || result.changes.includes('canceled')) continue;
    const { requestId, eventId } = result.meetRequestFailed;
    const next = nextMeetRequestId(result.bookingId, requestId);
    if (!next) {
      deps.logger.warn(
        { bookingId: result.bookingId, requests: MAX_MEET_REQUESTS },
        'Google could not create a Meet conference; the interview has no Meet link',
      );
      continue;
    }
    try {
      await calendar.client.patchEvent(
        calendar.calendarId,
        eventId,
        {
          conferenceData: {
            createRequest: { requestId: next, conferenceSolutionKey: { type: 'hangoutsMeet' } },
          },
        },
        { sendUpdates: 'none' },
      );
      deps.logger.info(
        { bookingId: result.bookingId, requestId: next },
        'Meet conference failed; asked again',
      );
    } catch (error) {
      if (!(error instanceof GoogleApiError)) throw error;
      // The nightly check lists the event again and retries.
      deps.logger.warn(
        { err: error, bookingId: result.bookingId },
        'asking Google for a Meet conference again failed',
      );
    }
  }
}
