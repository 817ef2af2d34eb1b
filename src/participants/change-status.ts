import type { Knex } from 'knex';
import { Conflict } from '../http/problem';
import { replanReminders } from '../reminders/plan-reminders';
import {
  findLiveBooking,
  findParticipantById,
  findParticipantInterview,
  insertHistory,
  lastStatusSource,
  updateParticipantStatus,
  type Participant,
} from './participant-repository';
import {
  decideTransition,
  interviewTiming,
  type ParticipantStatus,
  type RejectReason,
  type StatusSource,
  type TransitionDecision,
} from './status-rules';

export interface StatusChange {
  participantId: string;
  to: ParticipantStatus;
  source: StatusSource;
  /** Who: a researcher id, the participant's email, 'google', 'nightly job'… */
  actor: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
  /** History kind: `invited` for (re-)invitations, else `status`. */
  kind?: 'status' | 'invited';
  /**
   * Whether a live booking exists once the caller's own writes in this transaction are
   * done; read from the database when not given.
   */
  hasLiveBooking?: boolean;
  /** The moment of the change, against which the interview's timing is judged. */
  now?: Date;
  /**
   * The participant as the caller read it with `forUpdate` in this same transaction: the row
   * is locked already and not read again. Read (and locked) here when not given.
   */
  locked?: Participant;
}

export interface StatusChangeResult {
  participant: Participant;
  from: ParticipantStatus;
  decision: TransitionDecision;
}

/**
 * Every status change, from any source, goes through here: the participant row is locked,
 * the rule book decides, and the new status and its history row are written in the
 * caller's transaction — so a status never changes without a history row, and two
 * concurrent changes of one participant are applied one after the other.
 * A rejected change throws a 409 naming the rule; a no-op returns without writing.
 */
export async function changeStatus(trx: Knex.Transaction, change: StatusChange): Promise<StatusChangeResult> {
  const participant =
    change.locked?.id === change.participantId
      ? change.locked
      : await findParticipantById(trx, change.participantId, { forUpdate: true });
  if (!participant) throw new Error(`participant ${change.participantId} does not exist`);
  const hasLiveBooking = change.hasLiveBooking ?? (await findLiveBooking(trx, participant.id)) !== undefined;
  const decision = decideTransition({
    from: participant.status,
    to: change.to,
    source: change.source,
    hasLiveBooking,
    lastStatusSource: await lastStatusSource(trx, participant.id),
    interview: interviewTiming(await findParticipantInterview(trx, participant.id), change.now ?? new Date()),
  });
  if (decision.kind === 'reject') {
    throw new Conflict(
      rejectionMessage(decision.reason, participant.status, change.to),
      REJECTION_TYPES[decision.reason],
    );
  }
  if (decision.kind === 'apply') {
    await updateParticipantStatus(trx, participant.id, change.to);
    await insertHistory(trx, participant.id, {
      kind: change.kind ?? 'status',
      from: participant.status,
      to: change.to,
      source: change.source,
      actor: change.actor,
      reason: change.reason ?? null,
      details: change.details ?? null,
    });
  }
  // Reminders follow every status change (booked, cancelled from anywhere, a verdict, a
  // re-invite) in this same transaction.
  await replanReminders(trx, participant.id, change.now ?? new Date());
  return {
    participant: decision.kind === 'apply' ? { ...participant, status: change.to } : participant,
    from: participant.status,
    decision,
  };
}

/** The problem type of each refusal (`urn:interview-scheduler:problem:<slug>`). */
const REJECTION_TYPES: Readonly<Record<RejectReason, string>> = {
  'scheduled needs a live booking': 'status-transition',
  'not a status this source sets': 'status-transition',
  'manual status kept': 'status-transition',
  'no interview to judge': 'no-interview',
  'interview not started': 'interview-not-started',
};

function rejectionMessage(reason: RejectReason, from: ParticipantStatus, to: ParticipantStatus): string {
  switch (reason) {
    case 'scheduled needs a live booking':
      return `The status cannot be "${to}": the participant has no booked interview.`;
    case 'manual status kept':
      return `The participant is "${from}", set by a researcher; re-invite them first.`;
    case 'no interview to judge':
      return `The status cannot be "${to}": the participant has no interview that has started. No Show and Completed are verdicts on an interview.`;
    case 'interview not started':
      return `The status cannot be "${to}" yet: the interview has not started. No Show and Completed can be recorded from its start time on.`;
    default:
      return `A change from "${from}" to "${to}" is not allowed here.`;
  }
}
