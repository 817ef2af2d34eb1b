import type { Knex } from 'knex';
import { Conflict } from '../http/problem';
import { changeStatus } from '../participants/change-status';
import { insertHistory, type Participant } from '../participants/participant-repository';
import { STATUS_LABELS, type ParticipantStatus } from '../participants/status-rules';
import { lockLoggedInterview } from './lock-logged-interview';
import {
  deleteLoggedInterview,
  statusRowsNewestFirst,
  type LoggedInterview,
} from './logged-interview-repository';
import { verdictStanding } from './logged-interview-rules';

export interface DeleteLoggedInterviewRequest {
  participantId: string;
  loggedInterviewId: string;
  /** The version the researcher saw; a different one now is a 409. Left out: no check. */
  version?: number | undefined;
  now?: Date;
}

/**
 * What the deletion did to the participant's status: `restored` (back to the status they had
 * before this interview's verdict), `unchanged` (that status was their status anyway), `kept`
 * (their status has moved on since the interview was logged, or the earlier status cannot be
 * set again by the rules, so it stays — `keptBecause` says why).
 */
export type DeleteStatusEffect = 'restored' | 'unchanged' | 'kept';

export interface DeleteLoggedInterviewResult {
  participant: Participant;
  deleted: LoggedInterview;
  statusEffect: DeleteStatusEffect;
  keptBecause?: string;
}

/**
 * Issue 15: the researcher removes a logged interview (logged for the wrong participant, or
 * twice). Its verdict goes with it only while it is still what the participant's status rests
 * on (`verdictStanding`): then the participant returns, through the rule book, to the status
 * they had before it. A later decision — a manual status, a re-invite, another logged
 * interview — is never undone by deleting an older record; the status stays and the history
 * row says so. One history row in every case, in the deletion's transaction.
 */
export async function deleteLoggedInterviewOf(
  deps: { knex: Knex },
  researcherId: string,
  request: DeleteLoggedInterviewRequest,
): Promise<DeleteLoggedInterviewResult> {
  const now = request.now ?? new Date();
  return deps.knex.transaction(async (trx) => {
    const { participant, interview } = await lockLoggedInterview(
      trx,
      researcherId,
      request.participantId,
      request.loggedInterviewId,
      request.version,
    );
    const standing = verdictStanding(
      interview,
      participant.status,
      await statusRowsNewestFirst(trx, participant.id),
    );
    await deleteLoggedInterview(trx, interview.id);
    const details: Record<string, unknown> = {
      loggedInterviewId: interview.id,
      loggedInterviewChange: 'deleted',
      start: interview.start.toISOString(),
      end: interview.end.toISOString(),
      verdict: interview.verdict,
      note: interview.note,
    };
    const kept = async (because: string): Promise<DeleteLoggedInterviewResult> => {
      await history(trx, participant, researcherId, { ...details, statusKept: true, keptBecause: because });
      return { participant, deleted: interview, statusEffect: 'kept', keptBecause: because };
    };
    if (!standing.stands || standing.before === null) return kept(LATER_STATUS);
    if (standing.before === participant.status) {
      await history(trx, participant, researcherId, details);
      return { participant, deleted: interview, statusEffect: 'unchanged' };
    }
    const restored = await restore(trx, participant.id, standing.before, researcherId, details, now);
    if (!restored) return kept(notSettable(standing.before));
    return { participant: restored, deleted: interview, statusEffect: 'restored' };
  });
}

const LATER_STATUS = 'it changed after this interview was logged';

const notSettable = (status: ParticipantStatus) =>
  `${STATUS_LABELS[status]}, the status before this interview, cannot be set again by the status rules now`;

/** Back to the earlier status through the rule book; undefined when the rules refuse it. */
async function restore(
  trx: Knex.Transaction,
  participantId: string,
  to: ParticipantStatus,
  researcherId: string,
  details: Record<string, unknown>,
  now: Date,
): Promise<Participant | undefined> {
  try {
    const result = await changeStatus(trx, {
      participantId,
      to,
      source: 'researcher',
      actor: researcherId,
      details,
      now,
    });
    return result.participant;
  } catch (error) {
    // A refusal is decided before anything is written, so the transaction carries on.
    if (error instanceof Conflict) return undefined;
    throw error;
  }
}

async function history(
  trx: Knex.Transaction,
  participant: Participant,
  researcherId: string,
  details: Record<string, unknown>,
): Promise<void> {
  await insertHistory(trx, participant.id, {
    kind: 'status',
    from: participant.status,
    to: participant.status,
    source: 'researcher',
    actor: researcherId,
    reason: null,
    details,
  });
}
