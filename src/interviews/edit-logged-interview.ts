import type { Knex } from 'knex';
import { changeStatus } from '../participants/change-status';
import { insertHistory, type Participant } from '../participants/participant-repository';
import { lockLoggedInterview } from './lock-logged-interview';
import {
  statusRowsNewestFirst,
  updateLoggedInterview,
  type LoggedInterview,
  type LoggedVerdict,
} from './logged-interview-repository';
import { assertStudyTeamMember } from './logged-interview-host';
import { checkLoggedTimes, verdictStanding } from './logged-interview-rules';

export interface EditLoggedInterviewRequest {
  participantId: string;
  loggedInterviewId: string;
  /** Fields left out keep their value. */
  start?: Date | undefined;
  /** Left out while `start` changes: the interview keeps its length (but never ends in the future). */
  end?: Date | undefined;
  verdict?: LoggedVerdict | undefined;
  /** An empty note removes it. */
  note?: string | undefined;
  /** Who held it: a member of the study's team. */
  hostId?: string | undefined;
  /** The version the researcher saw; a different one now is a 409. Left out: no check. */
  version?: number | undefined;
  now?: Date;
}

/**
 * What the edit did to the participant's status: `changed` (the new verdict is their status
 * now), `unchanged` (the verdict stayed, or was already their status), `kept` (the verdict
 * changed but the participant's status has moved on since this interview was logged — a
 * later decision — so it stays).
 */
export type EditStatusEffect = 'changed' | 'unchanged' | 'kept';

export interface EditLoggedInterviewResult {
  participant: Participant;
  interview: LoggedInterview;
  statusEffect: EditStatusEffect;
  /** False when the request changed nothing (no history row, the version stays). */
  edited: boolean;
}

/**
 * Issue 15: the researcher corrects a logged interview — when it was, the note, the verdict.
 * The same time rules as logging apply. A changed verdict becomes the participant's status
 * through the rule book (source researcher, so the history names them) — but only while this
 * interview's verdict is still what their status rests on (`verdictStanding`); otherwise the
 * later status stays and the history row says so. Every edit is one history row with the
 * interview's old and new values, in the same transaction as the edit.
 */
export async function editLoggedInterview(
  deps: { knex: Knex },
  researcherId: string,
  request: EditLoggedInterviewRequest,
): Promise<EditLoggedInterviewResult> {
  const now = request.now ?? new Date();
  return deps.knex.transaction(async (trx) => {
    const { participant, interview } = await lockLoggedInterview(
      trx,
      researcherId,
      request.participantId,
      request.loggedInterviewId,
      request.version,
    );
    if (request.hostId !== undefined) {
      await assertStudyTeamMember(trx, request.hostId, interview.studyId);
    }
    const next = mergeEdit(interview, request, now);
    checkLoggedTimes(next.start, next.end, now);
    if (sameValues(interview, next)) {
      return { participant, interview, statusEffect: 'unchanged', edited: false };
    }
    const standing = verdictStanding(
      interview,
      participant.status,
      await statusRowsNewestFirst(trx, participant.id),
    );
    const updated = await updateLoggedInterview(trx, interview.id, next);
    const verdictChanged = next.verdict !== interview.verdict;
    const details = {
      loggedInterviewId: interview.id,
      loggedInterviewChange: 'edited',
      start: updated.start.toISOString(),
      end: updated.end.toISOString(),
      verdict: updated.verdict,
      hostId: updated.hostId,
      was: {
        start: interview.start.toISOString(),
        end: interview.end.toISOString(),
        verdict: interview.verdict,
        note: interview.note,
        hostId: interview.hostId,
      },
      ...(standing.stands ? {} : { statusKept: true }),
    };
    const row = { source: 'researcher' as const, actor: researcherId, reason: updated.note, details };
    if (verdictChanged && standing.stands) {
      const result = await changeStatus(trx, {
        participantId: participant.id,
        to: next.verdict,
        now,
        ...row,
      });
      if (result.decision.kind === 'apply') {
        return { participant: result.participant, interview: updated, statusEffect: 'changed', edited: true };
      }
    }
    await insertHistory(trx, participant.id, {
      kind: 'status',
      from: participant.status,
      to: participant.status,
      ...row,
    });
    const statusEffect = verdictChanged && !standing.stands ? 'kept' : 'unchanged';
    return { participant, interview: updated, statusEffect, edited: true };
  });
}

function mergeEdit(
  interview: LoggedInterview,
  request: EditLoggedInterviewRequest,
  now: Date,
): Pick<LoggedInterview, 'start' | 'end' | 'note' | 'verdict' | 'hostId'> {
  const start = request.start ?? interview.start;
  const length = interview.end.getTime() - interview.start.getTime();
  const end =
    request.end ??
    (request.start ? new Date(Math.min(start.getTime() + length, now.getTime())) : interview.end);
  const note = request.note === undefined ? interview.note : request.note.trim() || null;
  return {
    start,
    end,
    note,
    verdict: request.verdict ?? interview.verdict,
    hostId: request.hostId ?? interview.hostId,
  };
}

function sameValues(
  interview: LoggedInterview,
  next: Pick<LoggedInterview, 'start' | 'end' | 'note' | 'verdict' | 'hostId'>,
): boolean {
  return (
    interview.hostId === next.hostId &&
    interview.start.getTime() === next.start.getTime() &&
    interview.end.getTime() === next.end.getTime() &&
    interview.note === next.note &&
    interview.verdict === next.verdict
  );
}
