import type { Knex } from 'knex';
import { Conflict, Invalid, NotFound } from '../http/problem';
import { changeStatus } from '../participants/change-status';
import {
  findLiveBooking,
  findParticipant,
  insertHistory,
  type Participant,
} from '../participants/participant-repository';
import type { ParticipantStatus } from '../participants/status-rules';
import { findStudyById } from '../studies/study-repository';
import { insertLoggedInterview, type LoggedInterview } from './logged-interview-repository';

const MINUTE_MS = 60_000;
const MAX_LOGGED_MS = 24 * 60 * MINUTE_MS;

/** The verdicts a logged interview records (DESIGN 2: set by hand, on an interview that took place). */
export const LOGGED_VERDICTS = ['completed', 'no_show'] as const satisfies readonly ParticipantStatus[];
export type LoggedVerdict = (typeof LOGGED_VERDICTS)[number];

export interface LogPastInterviewRequest {
  participantId: string;
  start: Date;
  /** Defaults to the start plus the study's duration. */
  end?: Date | undefined;
  status: LoggedVerdict;
  note?: string | undefined;
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
  if (request.start.getTime() >= now.getTime()) {
    throw new Invalid('A logged interview must have started in the past.', [
      { location: 'body', path: 'start', message: 'must be in the past' },
    ]);
  }
  if (request.end && request.end.getTime() <= request.start.getTime()) {
    throw new Invalid('The interview must end after it starts.', [
      { location: 'body', path: 'end', message: 'must be after start' },
    ]);
  }
  if (request.end && request.end.getTime() > now.getTime()) {
    throw new Invalid('A logged interview must have ended: its end may not be in the future.', [
      { location: 'body', path: 'end', message: 'must not be in the future' },
    ]);
  }
  if (request.end && request.end.getTime() - request.start.getTime() > MAX_LOGGED_MS) {
    throw new Invalid('A logged interview lasts at most 24 hours.', [
      { location: 'body', path: 'end', message: 'must be within 24 hours of start' },
    ]);
  }
  return deps.knex.transaction(async (trx) => {
    const participant = await findParticipant(trx, researcherId, request.participantId, { forUpdate: true });
    if (!participant) throw new NotFound('No such participant.');
    const study = await findStudyById(trx, participant.studyId);
    if (!study) throw new NotFound('No such participant.');
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
      start: request.start,
      end,
      note: request.note?.trim() || null,
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
