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
 * `no_show` and `completed` are a researcher's verdict on an interview; no automatic source
 * may overwrite them ("manual status kept"). A researcher may set any of the five statuses by
 * hand, but `scheduled` only while a booking is live: the status must point at a real slot.
 *
 * Rules, checked top to bottom, first match wins (s = any status):
 *
 * | #  | source               | from                    | to                 | result                                  |
 * |----|----------------------|-------------------------|--------------------|-----------------------------------------|
 * | 1  | any                  | s                       | s                  | noop 'unchanged'                        |
 * | 2  | researcher           | s                       | scheduled, no live | reject 'scheduled needs a live booking' |
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

export interface TransitionRequest {
  from: ParticipantStatus;
  to: ParticipantStatus;
  source: StatusSource;
  /** A pending or confirmed booking exists (or will, once the caller's write succeeds). */
  hasLiveBooking: boolean;
  /** Source of the latest status_history row; null when there is none. */
  lastStatusSource: StatusSource | null;
}

export type NoopReason = 'unchanged' | 'manual status kept';
export type RejectReason =
  'scheduled needs a live booking' | 'not a status this source sets' | 'manual status kept';

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

function decideForResearcher({ to, hasLiveBooking }: TransitionRequest): TransitionDecision {
  if (to === 'scheduled' && !hasLiveBooking) return reject('scheduled needs a live booking');
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
