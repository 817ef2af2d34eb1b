import type { GoogleApiError } from '../google';
import { AppError } from '../http/problem';

/**
 * What a booking that Google refused for good is called, for the two people concerned. Pure:
 * a Google error in, words out. Retrying cannot help with these (a 400, 403
 * `insufficientPermissions`/`quotaExceeded`/`dailyLimitExceeded`, a 404 calendar…), so the
 * held slot is released at once and both sides are told, instead of hours of hidden retries.
 */
export interface RefusalWords {
  /** For the booking page and the API answer: what happened and what to do. */
  participant: string;
  /** For the participant's history in the console: what Google said, for the researcher to act on. */
  researcher: string;
}

const USAGE_LIMIT_REASONS = new Set(['quotaExceeded', 'dailyLimitExceeded']);

export function refusalWords(error: Pick<GoogleApiError, 'status' | 'reason' | 'failure'>): RefusalWords {
  const said = [error.status, error.reason].filter((part) => part !== undefined).join(' ');
  const google = said ? ` (Google answered ${said})` : '';
  const participant =
    "The researcher's calendar did not accept this interview, so it is not booked and the time is free again. " +
    'Please try again later, or reply to your invitation email to let the research team know.';
  if (error.reason !== undefined && USAGE_LIMIT_REASONS.has(error.reason)) {
    return {
      participant,
      researcher: `Not booked: Google Calendar's usage limit for this calendar is reached${google}. Bookings work again once Google lifts it.`,
    };
  }
  switch (error.failure.kind) {
    case 'notFound':
      return {
        participant,
        researcher: `Not booked: Google Calendar did not find the calendar${google}. Reconnect Google with the calendar to book into.`,
      };
    case 'forbidden':
    case 'unauthorized':
      return {
        participant,
        researcher: `Not booked: Google Calendar refused access to the calendar${google}. Reconnect Google and allow access.`,
      };
    case 'clientRejected':
      return {
        participant,
        researcher: `Not booked: Google refuses this service's OAuth client${google}. The service's Google client settings need fixing.`,
      };
    default:
      return {
        participant,
        researcher: `Not booked: Google Calendar refused the interview event${google}.`,
      };
  }
}

/** The booking request's answer when Google refused the event for good: the slot is free again. */
export class CalendarRefused extends AppError {
  constructor(detail: string) {
    super(
      502,
      "The researcher's calendar did not accept the interview",
      detail,
      'urn:interview-scheduler:problem:calendar-refused',
    );
  }
}
