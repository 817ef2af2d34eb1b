import type { Knex } from 'knex';
import { Conflict, NotFound } from '../http/problem';
import { changeStatus } from '../participants/change-status';
import {
  findLiveBooking,
  findParticipant,
  insertHistory,
  type Participant,
} from '../participants/participant-repository';
import { findStudyById } from '../studies/study-repository';
import {
  insertLoggedInterview,
  LOGGED_VERDICTS,
  type LoggedInterview,
  type LoggedVerdict,
} from './logged-interview-repository';
import { assertStudyTeamMember } from './logged-interview-host';
import { checkLoggedTimes } from './logged-interview-rules';

const MINUTE_MS = 60_000;

export { LOGGED_VERDICTS, type LoggedVerdict };

export interface LogPastInterviewRequest {
  participantId: string;
  start: Date;
  /** Defaults to the start plus the study's duration. */
  end?: Date | undefined;
  status: LoggedVerdict;
  note?: string | undefined;
  /** Who held it: a member of the study's team; default the caller. */
  hostId?: string | undefined;
  now?: Date;
}

/**
 * Issue 15: the researcher records an interview that happened elsewhere (a phone call, the
 * lab) and its outcome. No calendar event is made and no time is held — it is over — so
 * availability for everyone else stays as it was. The interview is stored, then the verdict
 * is set through the rule book like any manual status (source researcher), in one
 * transaction. A participant with an interview booked is refused: the verdict belongs on
 * that one (or it is cancelled first).
 */
export async function logPastInterview(
  deps: { knex: Knex },
  researcherId: string,
  request: LogPastInterviewRequest,
): Promise<{ participant: Participant; interview: LoggedInterview }> {
  const now = request.now ?? new Date();
  checkLoggedTimes(request.start, request.end, now);
  return deps.knex.transaction(async (trx) => {
    const participant = await findParticipant(trx, researcherId, request.participantId, { forUpdate: true });
    if (!participant) throw new NotFound('No such participant.');
    const study = await findStudyById(trx, participant.studyId);
    if (!study) throw new NotFound('No such participant.');
    if (request.hostId !== undefined) await assertStudyTeamMember(trx, request.hostId, study.id);
    if (await findLiveBooking(trx, participant.id)) {
      throw new Conflict(
        'This participant has an interview booked; set the status on it, or cancel it before logging another one.',
        'booking-live',
      );
    }
    // Without an end it lasted the study's duration, but never into the future: a verdict is
    // on an interview that is over, and the past-interviews list shows only those.
    const end =
      request.end ??
      new Date(Math.min(request.start.getTime() + study.durationMinutes * MINUTE_MS, now.getTime()));
    const interview = await insertLoggedInterview(trx, {
      participantId: participant.id,
      studyId: study.id,
      researcherId,
      hostId: request.hostId ?? researcherId,
      start: request.start,
      end,
      note: request.note?.trim() || null,
      verdict: request.status,
    });
    const details = {
      loggedInterviewId: interview.id,
      start: interview.start.toISOString(),
      end: interview.end.toISOString(),
    };
    const result = await changeStatus(trx, {
      participantId: participant.id,
      to: request.status,
      source: 'researcher',
      actor: researcherId,
      reason: interview.note,
      details,
      hasLiveBooking: false,
      now,
    });
    if (result.decision.kind === 'noop') {
      // The same verdict again: the status stays, but the logged interview still gets its row.
      await insertHistory(trx, participant.id, {
        kind: 'status',
        from: result.from,
        to: request.status,
        source: 'researcher',
        actor: researcherId,
        reason: interview.note,
        details,
      });
    }
    return { participant: result.participant, interview };
  });
}
