/* global fetch, crypto */
/**
 * The booking page's only way to the server: the JSON booking API (DESIGN 3), and what its
 * error answers (problem+json) mean for the participant.
 */

/** Resolves with `{ status, body }`; rejects only when the server could not be reached. */
export function bookingApi(base) {
  return async function request(method, path, body, headers = {}) {
    const response = await fetch(base + path, {
      method,
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { status: response.status, body: data };
  };
}

const problemTypeEndsWith = (answer, suffix) =>
  typeof answer.body?.type === 'string' && answer.body.type.endsWith(suffix);

export const isSlotTaken = (answer) => answer.status === 409 && problemTypeEndsWith(answer, 'slot-taken');

/** Google refused the event for good: nothing is booked, pressing again would not help now. */
export const isCalendarRefused = (answer) =>
  answer.status === 502 && problemTypeEndsWith(answer, 'calendar-refused');

/** One key per confirm click; a retry of the same click sends the same key again. */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context (https or localhost); getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UNREACHABLE =
  'We could not reach the booking service. Please check your connection and try again.';

/** What an error answer means for the participant; a `fatal` one ends the page. */
export function explain(answer) {
  switch (answer.status) {
    case 404:
      return {
        fatal: 'This booking link is not valid',
        text: 'Please check that you opened the whole link from your invitation email, or reply to that email for a new link.',
      };
    case 410:
      return {
        fatal: problemTypeEndsWith(answer, 'study-closed')
          ? 'This study is no longer taking bookings'
          : 'This booking link has expired',
        text:
          answer.body?.detail ??
          'Please reply to your invitation email and ask the research team for a new link.',
      };
    case 409:
      if (isSlotTaken(answer)) return { text: 'That time was just taken — please pick another.' };
      return {
        text:
          answer.body?.detail ?? 'That did not work because something changed meanwhile. Please try again.',
      };
    case 429:
      return { text: 'Too many attempts — please wait a moment and try again.' };
    case 502:
      if (isCalendarRefused(answer)) {
        return {
          text:
            answer.body?.detail ??
            'The researcher’s calendar did not accept this interview, so it is not booked. Please try again later.',
        };
      }
      return { text: `Something went wrong (error ${answer.status}). Please try again.` };
    case 503:
      if (problemTypeEndsWith(answer, 'google-not-connected')) {
        return { text: 'The researcher’s calendar is not available right now. Please try again later.' };
      }
      return { text: 'The booking service is busy right now. Please try again in a moment.' };
    default:
      return { text: `Something went wrong (error ${answer.status}). Please try again.` };
  }
}
