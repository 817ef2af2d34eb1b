import { decideTransition, type ParticipantStatus, type StatusSource } from '../participants/status-rules';
import { attendanceOf, normaliseEmail, type Attendance, type GoogleEventView } from './google-event-view';

/**
 * The reconciler (DESIGN 1.5): given one booking, its participant and the event as Google
 * now has it, it says what to write. Pure — the caller loads the rows, applies the outcome in
 * one transaction and owns every I/O question (see "The caller's part" below).
 *
 * Checked in this order:
 * 1. The event is gone (404): a live booking is cancelled, participant `canceled` (calendar).
 *    A `pending` booking is left alone — its insert may simply not have happened yet, and the
 *    insert-retry job owns it. A cancelled booking has nothing left to lose.
 * 2. The event id is not the booking's (a copy of our event carries the same private
 *    `bookingId`): ignored.
 * 3. Same etag as last applied: ignored as 'unchanged' (a repeated delivery).
 * 4. Older than what was applied — lower `sequence`, or equal sequence and older `updated`
 *    (attendee replies change `updated`, not `sequence`): ignored as 'stale'.
 * 5. Otherwise the event's version (sequence, updated, etag) is recorded, and:
 *    Live booking (pending or confirmed):
 *    - the event stands and start/end moved → new times, history row `rescheduled` — unless
 *      the booking was moved here and the event still shows exactly the time it moved from
 *      (`eventMovedFrom`: the patch has not reached Google yet), which keeps the booking's;
 *    - event cancelled → booking `cancelled`, participant `canceled` (calendar);
 *      else the participant declined → booking `cancelled` (the slot frees for others: a
 *      participant who said no will not come), participant `canceled` (participant), and
 *      `deleteEvent`: the event leaves the calendar (sendUpdates=all), so a confirmed event no
 *      longer sits in the freed slot and everyone on it is told;
 *      else the participant is no longer on the event (and Google did not omit attendees)
 *      → booking `cancelled`, participant `canceled` (calendar).
 *      The booking follows the event even when the status is a researcher's `no_show` /
 *      `completed`: the booking row mirrors the calendar slot, the status is the verdict.
 *    Cancelled booking (history):
 *    - it comes back only when it is why the participant is `canceled` and the calendar
 *      cancelled it: the event stands again with the participant on it (restored from the
 *      bin, put back on the guest list). Then booking `confirmed`, `needsSlotReclaim`,
 *      participant `scheduled`, and the times follow the event;
 *    - a decline (or a cancel from the link) is final: an acceptance arriving later changes
 *      nothing ('accepted after cancel'); the participant books again from the link;
 *    - otherwise its times stay those of the interview that was cancelled.
 * Every status change goes through `decideTransition`, which keeps `no_show`/`completed`
 * and a researcher's own cancel ('manual status kept'). The researcher's own reply on the
 * event is never read; attendees are matched to the participant by e-mail, case-insensitively.
 *
 * The caller's part:
 * - Events without our `bookingId` (see `bookingIdOfEvent`) or with an unknown one are not
 *   passed here; skipping or logging them is the sync job's decision.
 * - Changing the range of a live booking, and `needsSlotReclaim` (a cancelled booking made
 *   live again), may hit the exclusion constraint or the one-live-booking-per-participant
 *   index. When the reclaim fails, write only the version fields and leave state and status:
 *   the slot went to someone else meanwhile. Any range UPDATE on a live booking can fail the
 *   same way (the researcher moved the event onto another interview) and needs handling.
 * - `historyRows` become `status_history` rows; a `rescheduled` row's `to` is the status the
 *   participant has at that moment, as the table requires `to_status`.
 */

export type BookingState = 'pending' | 'confirmed' | 'cancelled';

export interface BookingSnapshot {
  id: string;
  state: BookingState;
  start: Date;
  end: Date;
  googleEventId: string;
  /** Version of the event last applied to this booking; null before the first one. */
  sequence: number | null;
  eventUpdatedAt: Date | null;
  etag: string | null;
  /** When the booking was cancelled (ours or applied from Google); absent = unknown. */
  cancelledAt?: Date | null;
  /**
   * A move made here that Google's event has not followed yet: the time the event still
   * shows. An event at exactly this time is not a move in Google; absent or null = none.
   */
  eventMovedFrom?: { start: Date; end: Date } | null;
  /** The calendar the event was put on; absent = the organizer is not looked at. */
  calendarId?: string;
  /** The organizer last seen when it is not `calendarId`; absent or null = `calendarId`. */
  eventOrganizer?: string | null;
  /** The Meet link stored; absent = the conference is not looked at. */
  meetUrl?: string | null;
}

export interface ParticipantSnapshot {
  status: ParticipantStatus;
  email: string;
  /** Source of the latest status_history row, null when there is none. */
  lastStatusSource: StatusSource | null;
}

export interface GoneEvent {
  gone: true;
}

export interface ReconcileInput {
  booking: BookingSnapshot;
  participant: ParticipantSnapshot;
  event: GoogleEventView | GoneEvent;
}

/** Only the fields whose value differs from the booking's; `{}` means "write nothing". */
export interface BookingChanges {
  state?: BookingState;
  start?: Date;
  end?: Date;
  sequence?: number;
  eventUpdatedAt?: Date;
  etag?: string;
  /** The event has the booking's time now: a move made here has reached Google. */
  moveArrived?: true;
  /** Null: the organizer is the booking's calendar again. */
  eventOrganizer?: string | null;
  meetUrl?: string | null;
}

export type CalendarStatusSource = Extract<StatusSource, 'calendar' | 'participant'>;

export interface StatusChange {
  from: ParticipantStatus;
  to: ParticipantStatus;
  source: CalendarStatusSource;
  reason: string;
}

/** ISO-8601 strings, ready for the `details` jsonb column. */
export interface RescheduleDetails {
  fromStart: string;
  fromEnd: string;
  toStart: string;
  toEnd: string;
}

export type HistoryRow =
  | {
      kind: 'status';
      from: ParticipantStatus;
      to: ParticipantStatus;
      source: CalendarStatusSource;
      reason: string;
    }
  | { kind: 'rescheduled'; to: ParticipantStatus; source: 'calendar'; details: RescheduleDetails }
  | {
      kind: 'organizer_changed';
      to: ParticipantStatus;
      source: 'calendar';
      details: { from: string; to: string };
    };

export type IgnoredBecause =
  | 'stale'
  | 'unchanged'
  | 'manual status kept'
  | 'not inserted yet'
  | 'another event'
  | 'accepted after cancel';

export interface ReconcileOutcome {
  bookingChanges: BookingChanges;
  statusChange?: StatusChange;
  historyRows: HistoryRow[];
  /** The booking becomes live again: the caller must win its slot back first. */
  needsSlotReclaim?: true;
  /** The participant declined: the event must be deleted at Google (sendUpdates=all). */
  deleteEvent?: true;
  /** Why the event (or the status part of it) was left without effect; for logs. */
  ignoredBecause?: IgnoredBecause;
}

export const REASONS = {
  eventGone: 'event no longer exists in Google Calendar',
  eventCancelled: 'event cancelled in Google Calendar',
  participantDeclined: 'participant declined the invitation',
  participantRemoved: 'participant removed from the event',
  participantAcceptedAgain: 'participant accepted the invitation again',
  eventStandsAgain: 'event stands again with the participant on it',
} as const;

export function reconcileBooking({ booking, participant, event }: ReconcileInput): ReconcileOutcome {
  if ('gone' in event) return reconcileGoneEvent(booking, participant);
  if (event.id !== booking.googleEventId) return ignored('another event');
  if (isAppliedVersion(booking, event)) return ignored('unchanged');
  if (isStale(booking, event)) return ignored('stale');

  const outcome: ReconcileOutcome = { bookingChanges: versionChanges(booking, event), historyRows: [] };
  const attendance = attendanceOf(event, participant.email);
  if (booking.state === 'cancelled') reviveIfWanted(outcome, booking, participant, event, attendance);
  else reconcileLiveBooking(outcome, booking, participant, event, attendance);
  return outcome;
}

/**
 * The booking's own event, in the very version last applied to it (same etag): rule 3, which
 * needs no participant. A sync or check may test this on the booking as it read it, before
 * any transaction: a booking changed since then can only hold a later version, and applying
 * this one again would be ignored as well.
 */
export function isAppliedVersion(
  booking: Pick<BookingSnapshot, 'googleEventId' | 'etag'>,
  event: GoogleEventView | GoneEvent,
): boolean {
  if ('gone' in event) return false;
  return event.id === booking.googleEventId && booking.etag !== null && event.etag === booking.etag;
}

function reconcileGoneEvent(booking: BookingSnapshot, participant: ParticipantSnapshot): ReconcileOutcome {
  if (booking.state === 'pending') return ignored('not inserted yet');
  if (booking.state === 'cancelled') return ignored('unchanged');
  const outcome: ReconcileOutcome = { bookingChanges: { state: 'cancelled' }, historyRows: [] };
  changeStatus(outcome, participant, 'canceled', 'calendar', REASONS.eventGone, false);
  return outcome;
}

function reconcileLiveBooking(
  outcome: ReconcileOutcome,
  booking: BookingSnapshot,
  participant: ParticipantSnapshot,
  event: GoogleEventView,
  attendance: Attendance,
): void {
  if (event.status !== 'cancelled') {
    followEventTimes(outcome, booking, event, participant.status);
    followOrganizer(outcome, booking, event, participant.status);
    followMeet(outcome, booking, event);
  }
  const cancellation = cancellationOf(event, attendance);
  if (!cancellation) return;
  outcome.bookingChanges.state = 'cancelled';
  changeStatus(outcome, participant, 'canceled', cancellation.source, cancellation.reason, false);
  // Only a decline that cancels: a researcher's verdict (completed, no_show) keeps its event.
  if (cancellation.reason === REASONS.participantDeclined && outcome.statusChange?.to === 'canceled')
    outcome.deleteEvent = true;
}

function cancellationOf(
  event: GoogleEventView,
  attendance: Attendance,
): { source: CalendarStatusSource; reason: string } | null {
  if (event.status === 'cancelled') return { source: 'calendar', reason: REASONS.eventCancelled };
  if (attendance === 'declined') return { source: 'participant', reason: REASONS.participantDeclined };
  if (attendance === 'removed') return { source: 'calendar', reason: REASONS.participantRemoved };
  return null;
}

function reviveIfWanted(
  outcome: ReconcileOutcome,
  booking: BookingSnapshot,
  participant: ParticipantSnapshot,
  event: GoogleEventView,
  attendance: Attendance,
): void {
  // A cancelled booking is history unless it is the reason the participant is canceled now.
  if (event.status === 'cancelled' || participant.status !== 'canceled') return;
  // Only a change made after the cancellation can undo it: an acceptance Google recorded
  // before the participant cancelled from their link (and we synced late) must not.
  if (booking.cancelledAt && (!event.updated || event.updated.getTime() <= booking.cancelledAt.getTime()))
    return;
  if (
    participant.lastStatusSource === 'participant' &&
    (attendance === 'accepted' || attendance === 'tentative')
  ) {
    outcome.ignoredBecause = 'accepted after cancel';
    return;
  }
  const revival = revivalOf(participant.lastStatusSource, attendance);
  if (!revival) return;
  if (!changeStatus(outcome, participant, 'scheduled', revival.source, revival.reason, true)) return;
  outcome.bookingChanges.state = 'confirmed';
  outcome.needsSlotReclaim = true;
  followEventTimes(outcome, booking, event, 'scheduled');
}

function revivalOf(
  lastStatusSource: StatusSource | null,
  attendance: Attendance,
): { source: CalendarStatusSource; reason: string } | null {
  const acceptedAgain = attendance === 'accepted' || attendance === 'tentative';
  if (lastStatusSource === 'calendar' && (acceptedAgain || attendance === 'needsAction')) {
    return { source: 'calendar', reason: REASONS.eventStandsAgain };
  }
  // Lets decideTransition answer 'manual status kept', so the log says why nothing happened.
  if (lastStatusSource === 'researcher' && acceptedAgain) {
    return { source: 'participant', reason: REASONS.participantAcceptedAgain };
  }
  return null;
}

/** Records the change when the rules allow it; returns whether it was applied. */
function changeStatus(
  outcome: ReconcileOutcome,
  participant: ParticipantSnapshot,
  to: ParticipantStatus,
  source: CalendarStatusSource,
  reason: string,
  hasLiveBooking: boolean,
): boolean {
  const from = participant.status;
  const decision = decideTransition({
    from,
    to,
    source,
    hasLiveBooking,
    lastStatusSource: participant.lastStatusSource,
  });
  if (decision.kind === 'noop' && decision.reason === 'manual status kept') {
    outcome.ignoredBecause = 'manual status kept';
  }
  if (decision.kind !== 'apply') return false;
  outcome.statusChange = { from, to, source, reason };
  outcome.historyRows.push({ kind: 'status', from, to, source, reason });
  return true;
}

function followEventTimes(
  outcome: ReconcileOutcome,
  booking: BookingSnapshot,
  event: GoogleEventView,
  statusNow: ParticipantStatus,
): void {
  if (event.start === null || event.end === null) return;
  const startMoved = event.start.getTime() !== booking.start.getTime();
  const endMoved = event.end.getTime() !== booking.end.getTime();
  if (!startMoved && !endMoved) {
    if (booking.eventMovedFrom) outcome.bookingChanges.moveArrived = true;
    return;
  }
  // Our own move on its way to Google: the event still shows the time it is moving from.
  const movedFrom = booking.eventMovedFrom;
  if (
    movedFrom &&
    event.start.getTime() === movedFrom.start.getTime() &&
    event.end.getTime() === movedFrom.end.getTime()
  )
    return;
  if (startMoved) outcome.bookingChanges.start = event.start;
  if (endMoved) outcome.bookingChanges.end = event.end;
  outcome.historyRows.push({
    kind: 'rescheduled',
    to: statusNow,
    source: 'calendar',
    details: {
      fromStart: booking.start.toISOString(),
      fromEnd: booking.end.toISOString(),
      toStart: event.start.toISOString(),
      toEnd: event.end.toISOString(),
    },
  });
}

/**
 * Moved to another calendar or handed to another organizer (events.move): the event still
 * stands, and with it the interview. Recorded once per change, in the history.
 */
function followOrganizer(
  outcome: ReconcileOutcome,
  booking: BookingSnapshot,
  event: GoogleEventView,
  statusNow: ParticipantStatus,
): void {
  if (!event.organizer || booking.calendarId === undefined) return;
  const own = normaliseEmail(booking.calendarId);
  const known = booking.eventOrganizer ?? own;
  if (event.organizer === known) return;
  outcome.bookingChanges.eventOrganizer = event.organizer === own ? null : event.organizer;
  outcome.historyRows.push({
    kind: 'organizer_changed',
    to: statusNow,
    source: 'calendar',
    details: { from: known, to: event.organizer },
  });
}

/** The Meet link is whatever the event has now: none while the conference is pending or failed. */
function followMeet(outcome: ReconcileOutcome, booking: BookingSnapshot, event: GoogleEventView): void {
  if (event.conference === undefined || booking.meetUrl === undefined) return;
  const meetUrl = event.conference?.meetUrl ?? null;
  if (meetUrl !== booking.meetUrl) outcome.bookingChanges.meetUrl = meetUrl;
}

function isStale(booking: BookingSnapshot, event: GoogleEventView): boolean {
  if (booking.sequence !== null && event.sequence !== null && event.sequence !== booking.sequence) {
    return event.sequence < booking.sequence;
  }
  if (booking.eventUpdatedAt !== null && event.updated !== null) {
    return event.updated.getTime() < booking.eventUpdatedAt.getTime();
  }
  return false;
}

/** The event's version, so the next delivery can be judged stale or unchanged. */
function versionChanges(booking: BookingSnapshot, event: GoogleEventView): BookingChanges {
  const changes: BookingChanges = {};
  if (event.sequence !== null && event.sequence !== booking.sequence) changes.sequence = event.sequence;
  if (event.updated !== null && event.updated.getTime() !== booking.eventUpdatedAt?.getTime()) {
    changes.eventUpdatedAt = event.updated;
  }
  if (event.etag !== null && event.etag !== booking.etag) changes.etag = event.etag;
  return changes;
}

function ignored(because: IgnoredBecause): ReconcileOutcome {
  return { bookingChanges: {}, historyRows: [], ignoredBecause: because };
}
