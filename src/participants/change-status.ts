import type { Knex } from 'knex';
import { Conflict } from '../http/problem';
import {
  findLiveBooking,
  findParticipantById,
  insertHistory,
  lastStatusSource,
  updateParticipantStatus,
  type Participant,
} from './participant-repository';
import {
  decideTransition,
  type ParticipantStatus,
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
  const participant = await findParticipantById(trx, change.participantId, { forUpdate: true });
  if (!participant) throw new Error(`participant ${change.participantId} does not exist`);
  const hasLiveBooking = change.hasLiveBooking ?? (await findLiveBooking(trx, participant.id)) !== undefined;
  const decision = decideTransition({
    from: participant.status,
    to: change.to,
    source: change.source,
    hasLiveBooking,
    lastStatusSource: await lastStatusSource(trx, participant.id),
  });
  if (decision.kind === 'reject') {
    throw new Conflict(rejectionMessage(decision.reason, participant.status, change.to), 'status-transition');
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
  return {
    participant: decision.kind === 'apply' ? { ...participant, status: change.to } : participant,
    from: participant.status,
    decision,
  };
}

function rejectionMessage(reason: string, from: ParticipantStatus, to: ParticipantStatus): string {
  switch (reason) {
    case 'scheduled needs a live booking':
      return `The status cannot be "${to}": the participant has no booked interview.`;
    case 'manual status kept':
      return `The participant is "${from}", set by a researcher; re-invite them first.`;
    default:
      return `A change from "${from}" to "${to}" is not allowed here.`;
  }
}
