import { attendanceOf, type AttendeeResponse, type GoogleEventView } from './google-event-view';

/**
 * What the calendar says about an interview that is not a status change (DESIGN 1.5: a
 * tentative answer is recorded, the status stays): the participant's RSVP and the event's
 * details (title, location, Meet link). Pure: the caller passes what was seen before and
 * writes what comes back, in the transaction that applies the event.
 *
 * Only differences are recorded, never a first sighting: the event as we inserted it is the
 * baseline. The participant is put on the event without an answer, so their first answer
 * is compared with `needsAction`; a title or location is compared only once one was seen.
 */

export type EventDetailField = 'title' | 'location' | 'meet';

export type Observation =
  | {
      kind: 'rsvp';
      source: 'participant';
      details: { from: AttendeeResponse; to: AttendeeResponse };
    }
  | {
      kind: 'event_changed';
      source: 'calendar';
      details: { field: EventDetailField; from: string | null; to: string | null };
    };

/** The event as the sync last saw it; null before the first sighting. */
export interface SeenEvent {
  summary: string | null;
  location: string | null;
  participantResponse: AttendeeResponse | null;
}

export interface ObservationInput {
  seen: SeenEvent | null;
  event: GoogleEventView;
  participantEmail: string;
  /** The stored Meet link changes with this event (the sync writes `to`). */
  meet?: { from: string | null; to: string | null };
  /** The decline cancelled the interview: the cancellation already tells it. */
  declineCancels: boolean;
}

export interface ObservationResult {
  observations: Observation[];
  /** What to remember for next time; null = nothing new to remember. */
  seen: SeenEvent | null;
}

export function observeEvent(input: ObservationInput): ObservationResult {
  const { seen, event } = input;
  // A cancelled event (or a deleted one's bare entry) says nothing about answers or details.
  if (event.status === 'cancelled') return { observations: [], seen: null };
  const observations: Observation[] = [];

  const attendance = attendanceOf(event, input.participantEmail);
  const answered = attendance === 'removed' || attendance === 'unknown' ? null : attendance;
  const previousAnswer = seen?.participantResponse ?? 'needsAction';
  if (answered && answered !== previousAnswer && !(answered === 'declined' && input.declineCancels)) {
    observations.push({
      kind: 'rsvp',
      source: 'participant',
      details: { from: previousAnswer, to: answered },
    });
  }

  const title = compareText('title', seen ? seen.summary : undefined, event.summary);
  const location = compareText('location', seen ? seen.location : undefined, event.location);
  if (title) observations.push(title);
  if (location) observations.push(location);

  // The first link arriving is part of the booking (the conference settles after the insert);
  // a link that changes or goes away afterwards is a change someone made.
  if (input.meet && input.meet.from !== null && input.meet.from !== input.meet.to) {
    observations.push({
      kind: 'event_changed',
      source: 'calendar',
      details: { field: 'meet', from: input.meet.from, to: input.meet.to },
    });
  }

  const next: SeenEvent = {
    summary: event.summary !== undefined ? event.summary : (seen?.summary ?? null),
    location: event.location !== undefined ? event.location : (seen?.location ?? null),
    participantResponse: answered ?? seen?.participantResponse ?? null,
  };
  const unchanged =
    seen !== null &&
    seen.summary === next.summary &&
    seen.location === next.location &&
    seen.participantResponse === next.participantResponse;
  return { observations, seen: unchanged ? null : next };
}

/** `before` undefined: never seen; `now` undefined: not looked at. */
function compareText(
  field: 'title' | 'location',
  before: string | null | undefined,
  now: string | null | undefined,
): Observation | undefined {
  if (before === undefined || now === undefined || before === now) return undefined;
  return { kind: 'event_changed', source: 'calendar', details: { field, from: before, to: now } };
}
