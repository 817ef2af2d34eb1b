import { normaliseEmail, type AttendeeResponse, type GoogleEventView } from './google-event-view';

/**
 * What a collective interview's event says about its other hosts (issue 15): each is a guest
 * of the organizer's event and answers it like anyone else. Unlike the participant's, a
 * host's decline cancels nothing — the interview goes ahead without them — so it is only
 * observed: a change of answer becomes a timeline entry, and the answer now is kept for the
 * console's warning (declined, or taken off the guest list). Pure: the caller passes the
 * hosts with the answer last seen and writes what comes back, in the transaction that
 * applies the event.
 *
 * A first sighting is the baseline, except a decline or a removal: those are news whenever
 * they are first seen (a host is put on the event without an answer).
 */

export type HostAnswer = AttendeeResponse | 'removed';

export interface HostOnBooking {
  researcherId: string;
  name: string;
  /** Every address the host may be on the event with (account email, calendar id). */
  emails: readonly string[];
  /** The answer last seen; null before the first sighting. */
  seen: HostAnswer | null;
}

export interface HostResponseChange {
  researcherId: string;
  name: string;
  email: string;
  from: HostAnswer;
  to: HostAnswer;
}

export interface HostResponses {
  /** Changes worth a timeline entry. */
  changes: HostResponseChange[];
  /** Answers to remember (changed or first seen). */
  answers: { researcherId: string; answer: HostAnswer }[];
}

const NEWS_AT_FIRST_SIGHT: ReadonlySet<HostAnswer> = new Set<HostAnswer>(['declined', 'removed']);

export function observeHostResponses(event: GoogleEventView, hosts: readonly HostOnBooking[]): HostResponses {
  const result: HostResponses = { changes: [], answers: [] };
  // A cancelled event (or a deleted one's bare entry) says nothing about anyone's answer.
  if (event.status === 'cancelled') return result;
  for (const host of hosts) {
    const found = answerOf(event, host);
    if (!found || found.answer === host.seen) continue;
    result.answers.push({ researcherId: host.researcherId, answer: found.answer });
    if (host.seen === null && !NEWS_AT_FIRST_SIGHT.has(found.answer)) continue;
    result.changes.push({
      researcherId: host.researcherId,
      name: host.name,
      email: found.email,
      from: host.seen ?? 'needsAction',
      to: found.answer,
    });
  }
  return result;
}

/** Null when the event cannot tell (Google omitted attendees and the host is not listed). */
function answerOf(event: GoogleEventView, host: HostOnBooking): { answer: HostAnswer; email: string } | null {
  const emails = host.emails.map(normaliseEmail);
  const entry = event.attendees.find((attendee) => emails.includes(attendee.email));
  if (entry) return { answer: entry.responseStatus, email: entry.email };
  if (event.attendeesOmitted) return null;
  return { answer: 'removed', email: emails[0] ?? '' };
}

/** Whether the console warns about this host: the interview is going ahead without them. */
export function isHostAbsent(answer: HostAnswer | null): boolean {
  return answer === 'declined' || answer === 'removed';
}

/** The timeline entry of a change (a `participant_activity` row). */
export interface HostResponseActivity {
  kind: 'host_response';
  source: 'calendar';
  details: { hostId: string; hostName: string; hostEmail: string; from: HostAnswer; to: HostAnswer };
}

export function hostResponseActivity(change: HostResponseChange): HostResponseActivity {
  return {
    kind: 'host_response',
    source: 'calendar',
    details: {
      hostId: change.researcherId,
      hostName: change.name,
      hostEmail: change.email,
      from: change.from,
      to: change.to,
    },
  };
}

/** A host the interview goes ahead without: they declined, or are off the guest list. */
export interface HostWarning {
  bookingId: string;
  hostId: string;
  hostName: string;
  answer: 'declined' | 'removed';
  since: Date;
}

/** The console's words for it (participant page and interviews list alike). */
export function hostWarningText(warning: Pick<HostWarning, 'hostName' | 'answer'>): string {
  return warning.answer === 'declined'
    ? `${warning.hostName} declined: the interview goes ahead without them unless you move it`
    : `${warning.hostName} was taken off the event's guest list in Google Calendar: the interview goes ahead without them unless you move it`;
}
