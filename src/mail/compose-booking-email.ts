import { renderEventTemplate } from '../studies/event-template';
import type { BookingEmailContext } from './booking-email-outbox';
import type { BookingEmailKind } from './booking-email-wording';
import { renderBookingEmail, type BookingEmailFacts } from './booking-email';
import { renderBookingEmailFromTemplate } from './booking-email-template';
import type { Composed } from './compose-outbox-email';
import type { OutboxEmail } from './outbox-repository';

/**
 * A confirmation, update or cancellation made from the booking as it is at send time: the
 * current time and Meet link (one that arrived after the booking is used), the participant's
 * zone (else the study's), whether the study still takes bookings. A confirmation or update
 * whose interview was cancelled meanwhile, or an update whose move was undone, has nothing
 * true left to say: it is not sent (the cancellation email tells the rest). Nor is a
 * cancellation whose interview the calendar brought back meanwhile.
 */
export function composeBookingEmail(
  email: Pick<OutboxEmail, 'details'> & { kind: BookingEmailKind },
  booking: BookingEmailContext,
  bookingUrl: string | null,
  now: Date,
): Composed {
  if (email.kind !== 'cancellation' && booking.bookingState === 'cancelled') {
    return { ok: false, obsolete: true, reason: 'the interview was cancelled before this email went out' };
  }
  if (email.kind === 'cancellation' && booking.bookingState !== 'cancelled') {
    return { ok: false, obsolete: true, reason: 'the interview was on again before this email went out' };
  }
  const previous = email.kind === 'update' ? previousTime(email.details) : undefined;
  if (
    previous &&
    previous.start.getTime() === booking.start.getTime() &&
    previous.end.getTime() === booking.end.getTime()
  ) {
    return { ok: false, obsolete: true, reason: 'the interview moved back before this email went out' };
  }
  const researcherName = booking.researcherName || booking.researcherEmail || 'the research team';
  const values = {
    participantName: booking.participantName,
    studyTitle: booking.studyTitle,
    durationMinutes: String(booking.durationMinutes),
    researcherName,
  };
  const facts: BookingEmailFacts = {
    kind: email.kind,
    participantName: booking.participantName,
    studyTitle: booking.studyTitle,
    researcherName,
    start: booking.start,
    end: booking.end,
    timeZone: booking.participantTimeZone ?? booking.studyTimeZone,
    meetUrl: booking.meetUrl,
    bookingUrl,
    previous,
    studyOpen: booking.studyOpen,
    revived: email.kind === 'confirmation' && email.details?.revived === true,
    calendar: {
      uid: icalUidOf(booking.googleEventId),
      // Google's sequence grows with its own changes, our revision with every move (also one
      // not yet at Google): the larger one is never behind either. Each cancellation and
      // revival adds a turn, so the file that takes the event away (or brings it back) is
      // newer than the one before it.
      sequence: Math.max(booking.eventSequence ?? 0, booking.revision) + turnOf(email),
      summary: renderEventTemplate(booking.eventTitle, values),
      description: renderEventTemplate(booking.eventDescription, values),
      stamp: now,
    },
  };
  // The study's own words when it has them for this kind; the built-in email otherwise.
  const override = booking.emailTemplates[email.kind];
  const message = (override && renderBookingEmailFromTemplate(facts, override)) ?? renderBookingEmail(facts);
  return { ok: true, message };
}

/**
 * Google's iCalUID of an event made through the API with a client-chosen id is that id at
 * google.com: the same UID as the invitation Google sends, so calendars see one event.
 */
export function icalUidOf(googleEventId: string): string {
  return `${googleEventId}@google.com`;
}

/** Rows written before turns were kept: only a cancellation was ever one (the first). */
function turnOf(email: Pick<OutboxEmail, 'details'> & { kind: BookingEmailKind }): number {
  const turn = email.details?.turn;
  if (typeof turn === 'number') return turn;
  return email.kind === 'cancellation' ? 1 : 0;
}

function previousTime(details: Record<string, unknown> | null): { start: Date; end: Date } | undefined {
  const start = details?.previousStart;
  const end = details?.previousEnd;
  if (typeof start !== 'string' || typeof end !== 'string') return undefined;
  return { start: new Date(start), end: new Date(end) };
}
