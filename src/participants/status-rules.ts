import { z } from 'zod';

/**
 * Participant statuses (DESIGN 2) and the one rule book for moving between them (DESIGN 1.5,
 * 1.7). Every status change, whoever causes it, is decided here, so the booking flow, the
 * researcher API and the calendar reconciler cannot disagree about what may override what.
 *
 * Sources:
 * - `researcher`  a researcher in the app: manual status, cancel, re-invite.
 * - `participant` the participant: cancel on the booking page, decline / accept again in
 *                 Google Calendar.
 * - `calendar`    the researcher's calendar: event cancelled, deleted, restored, participant
 *                 removed from or put back on the event.
 * - `system`      the service acting on an explicit request: invitation, re-invite, a new
 *                 booking (the booking flow uses `system`, not `participant`), releasing a
 *                 booking it could not keep (grant revoked).
 *
 * `no_show` and `completed` are a researcher's verdict on an interview that has started
 * (DESIGN 2); no automatic source may overwrite them ("manual status kept"). A researcher may
 * set any of the five statuses by hand, but `scheduled` only while a booking is live (the
 * status must point at a real slot), and a verdict only once the interview has started.
 *
 * Time enters as the interview's timing at `now` (`interviewTiming`, pure: the caller passes
 * `now`): `none` (no interview), `before` its start, `during` it, `after` its end. For a
 * verdict the interview is the live booking, else the last cancelled one whose start had come
 * before it was cancelled (the researcher tidied the calendar after the call); for the
 * booking link it is the live booking.
 *
 * Rules, checked top to bottom, first match wins (s = any status):
 *
 * | #  | source               | from                    | to                 | result                                  |
 * |----|----------------------|-------------------------|--------------------|-----------------------------------------|
 * | 1  | any                  | s                       | s                  | noop 'unchanged'                        |
 * | 2  | researcher           | s                       | scheduled, no live | reject 'scheduled needs a live booking' |
 * | 2a | researcher           | s                       | no_show, completed | reject 'no interview to judge' (none) / |
 * |    |                      |                         |                    | 'interview not started' (before)        |
 * | 3  | researcher           | s                       | any other          | apply                                   |
 * | 4  | participant/calendar | no_show, completed      | s                  | noop 'manual status kept'               |
 * | 5  | participant/calendar | s                       | invited, no_show,  | reject 'not a status this source sets'  |
 * |    |                      |                         | completed          |                                         |
 * | 6  | participant/calendar | canceled by researcher  | scheduled          | noop 'manual status kept' (a re-accept  |
 * |    |                      | (lastStatusSource)      |                    | in Google does not undo a cancel)       |
 * | 7  | participant/calendar | s                       | scheduled, no live | reject 'scheduled needs a live booking' |
 * | 8  | participant/calendar | invited, scheduled,     | scheduled/canceled | apply                                   |
 * |    |                      | canceled                |                    |                                         |
 * | 9  | system               | s                       | no_show, completed | reject 'not a status this source sets'  |
 * | 10 | system               | s                       | invited            | apply (re-invite is a researcher's      |
 * |    |                      |                         |                    | request, also after a no-show)          |
 * | 11 | system               | no_show, completed      | scheduled          | reject 'manual status kept' (booking    |
 * |    |                      |                         |                    | must be refused; re-invite first)       |
 * | 12 | system               | s                       | scheduled, no live | reject 'scheduled needs a live booking' |
 * | 13 | system               | no_show, completed      | canceled           | noop 'manual status kept'               |
 * | 14 | system               | invited, scheduled,     | scheduled/canceled | apply                                   |
 * |    |                      | canceled                |                    |                                         |
 *
 * "noop" means: nothing to write, not an error. "reject" means: the caller asked for
 * something the product does not allow and should say so (API 409/422, booking refused).
 * Only rule 2a depends on time: what Google reports (rules 4–8) is applied whenever it
 * happens, and the booking flow's own changes (9–14) are judged by `decideLinkChange` first.
 *
 * The participant's booking link (`decideLinkChange`), checked top to bottom:
 *
 * | #  | status             | interview           | book (or move)               | cancel                       |
 * |----|--------------------|---------------------|------------------------------|------------------------------|
 * | L1 | no_show, completed | any                 | refuse 'verdict recorded'    | refuse 'verdict recorded'    |
 * | L2 | any other          | during, after       | refuse 'interview started'   | refuse 'interview started'   |
 * | L3 | any other          | none                | allow (a new booking)        | refuse 'nothing booked'      |
 * | L4 | any other          | before              | allow (a move)               | allow                        |
 *
 * Once the interview has started it is the researcher's: only they change it.
 */

export const PARTICIPANT_STATUSES = ['invited', 'scheduled', 'canceled', 'no_show', 'completed'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];
export const ParticipantStatusSchema = z.enum(PARTICIPANT_STATUSES);

export const STATUS_LABELS: Readonly<Record<ParticipantStatus, string>> = Object.freeze({
  invited: 'Invited',
  scheduled: 'Interview Scheduled',
  canceled: 'Canceled Interview',
  no_show: 'No Show',
  completed: 'Completed',
});

export const STATUS_SOURCES = ['researcher', 'participant', 'calendar', 'system'] as const;
export type StatusSource = (typeof STATUS_SOURCES)[number];

/** What a researcher may pick by hand: all five (`scheduled` only with a live booking, rule 2). */
export const MANUAL_STATUSES: readonly ParticipantStatus[] = PARTICIPANT_STATUSES;

/** A researcher's verdict: only a researcher sets these, and nothing automatic overrides them. */
export const MANUAL_ONLY_STATUSES = ['no_show', 'completed'] as const satisfies readonly ParticipantStatus[];

export function isManualOnlyStatus(status: ParticipantStatus): boolean {
  return (MANUAL_ONLY_STATUSES as readonly ParticipantStatus[]).includes(status);
}

export function isParticipantStatus(value: unknown): value is ParticipantStatus {
  return typeof value === 'string' && (PARTICIPANT_STATUSES as readonly string[]).includes(value);
}

/** Where the participant's interview stands in time (see the file comment). */
export const INTERVIEW_TIMINGS = ['none', 'before', 'during', 'after'] as const;
export type InterviewTiming = (typeof INTERVIEW_TIMINGS)[number];

export interface InterviewTimes {
  start: Date;
  end: Date;
}

/** `[start, end)`: the interview has started at its start instant and is over at its end. */
export function interviewTiming(interview: InterviewTimes | null | undefined, now: Date): InterviewTiming {
  if (!interview) return 'none';
  if (now.getTime() < interview.start.getTime()) return 'before';
  if (now.getTime() < interview.end.getTime()) return 'during';
  return 'after';
}

export function hasStarted(timing: InterviewTiming): boolean {
  return timing === 'during' || timing === 'after';
}

export interface TransitionRequest {
  from: ParticipantStatus;
  to: ParticipantStatus;
  source: StatusSource;
  /** A pending or confirmed booking exists (or will, once the caller's write succeeds). */
  hasLiveBooking: boolean;
  /** Source of the latest status_history row; null when there is none. */
  lastStatusSource: StatusSource | null;
  /**
   * The interview's timing at the moment of the change. Only a researcher's verdict depends
   * on it (rule 2a); the calendar's rules do not, so the reconciler leaves it out. Left out,
   * no started interview is known and a verdict is refused.
   */
  interview?: InterviewTiming;
}

export type NoopReason = 'unchanged' | 'manual status kept';
export type RejectReason =
  | 'scheduled needs a live booking'
  | 'not a status this source sets'
  | 'manual status kept'
  | 'no interview to judge'
  | 'interview not started';

export type TransitionDecision =
  { kind: 'apply' } | { kind: 'noop'; reason: NoopReason } | { kind: 'reject'; reason: RejectReason };

const APPLY: TransitionDecision = { kind: 'apply' };
const noop = (reason: NoopReason): TransitionDecision => ({ kind: 'noop', reason });
const reject = (reason: RejectReason): TransitionDecision => ({ kind: 'reject', reason });

/** Decides one status change by the table at the top of this file. */
export function decideTransition(request: TransitionRequest): TransitionDecision {
  if (request.from === request.to) return noop('unchanged');
  switch (request.source) {
    case 'researcher':
      return decideForResearcher(request);
    case 'participant':
    case 'calendar':
      return decideForCalendarOrParticipant(request);
    case 'system':
      return decideForSystem(request);
  }
}

function decideForResearcher({ to, hasLiveBooking, interview }: TransitionRequest): TransitionDecision {
  if (to === 'scheduled' && !hasLiveBooking) return reject('scheduled needs a live booking');
  if (isManualOnlyStatus(to)) {
    // A verdict is about an interview that took place (or should have): not one ahead.
    const timing = interview ?? 'none';
    if (timing === 'none') return reject('no interview to judge');
    if (timing === 'before') return reject('interview not started');
  }
  return APPLY;
}

function decideForCalendarOrParticipant(request: TransitionRequest): TransitionDecision {
  const { from, to, hasLiveBooking, lastStatusSource } = request;
  if (isManualOnlyStatus(from)) return noop('manual status kept');
  if (to !== 'scheduled' && to !== 'canceled') return reject('not a status this source sets');
  if (to === 'scheduled') {
    // A researcher who cancelled by hand decided; the participant clicking "Yes" in an old
    // invitation (or the event coming back) must not quietly reverse that decision.
    if (from === 'canceled' && lastStatusSource === 'researcher') return noop('manual status kept');
    if (!hasLiveBooking) return reject('scheduled needs a live booking');
  }
  return APPLY;
}

function decideForSystem({ from, to, hasLiveBooking }: TransitionRequest): TransitionDecision {
  if (isManualOnlyStatus(to)) return reject('not a status this source sets');
  if (to === 'invited') return APPLY;
  if (to === 'scheduled') {
    // Refused rather than ignored: a booking over a researcher's verdict must not go ahead.
    if (isManualOnlyStatus(from)) return reject('manual status kept');
    if (!hasLiveBooking) return reject('scheduled needs a live booking');
    return APPLY;
  }
  if (isManualOnlyStatus(from)) return noop('manual status kept');
  return APPLY;
}

/** What the participant asks for from their booking link. */
export type LinkAction = 'book' | 'cancel';

export interface LinkChangeRequest {
  action: LinkAction;
  status: ParticipantStatus;
  /** Timing of the participant's live booking (`none` without one). */
  interview: InterviewTiming;
}

export type LinkRefusal = 'verdict recorded' | 'interview started' | 'nothing booked';

export type LinkDecision = { kind: 'allow' } | { kind: 'refuse'; reason: LinkRefusal };

/**
 * Decides what the booking link may do, by the second table at the top of this file. Booking
 * with an interview booked is a move. `action: 'book'` also answers whether the link can
 * change anything at all, which the booking page shows.
 */
export function decideLinkChange({ action, status, interview }: LinkChangeRequest): LinkDecision {
  if (isManualOnlyStatus(status)) return { kind: 'refuse', reason: 'verdict recorded' };
  if (hasStarted(interview)) return { kind: 'refuse', reason: 'interview started' };
  if (action === 'cancel' && interview === 'none') return { kind: 'refuse', reason: 'nothing booked' };
  return { kind: 'allow' };
}
