import type { Knex } from 'knex';
import { Conflict, NotFound } from '../http/problem';
import { findParticipant, type Participant } from '../participants/participant-repository';
import { findLoggedInterview, type LoggedInterview } from './logged-interview-repository';

/**
 * The participant and one of their logged interviews, both locked for an edit or deletion.
 * Access goes through `findParticipant` (the researcher's own participants), the one place
 * that decides who may see a participant; another's ids are a plain 404. The participant row
 * is locked first, as every status change does, so the edit and any status change of the
 * participant happen one after the other.
 *
 * `expectedVersion` (from the form, or the API caller) refuses a change to an interview that
 * was edited meanwhile: the researcher decided on what they saw, not on what is there now.
 */
export async function lockLoggedInterview(
  trx: Knex.Transaction,
  researcherId: string,
  participantId: string,
  loggedInterviewId: string,
  expectedVersion: number | undefined,
): Promise<{ participant: Participant; interview: LoggedInterview }> {
  const participant = await findParticipant(trx, researcherId, participantId, { forUpdate: true });
  if (!participant) throw new NotFound('No such participant.');
  const interview = await findLoggedInterview(trx, participant.id, loggedInterviewId, { forUpdate: true });
  if (!interview) throw new NotFound('No such logged interview.');
  if (expectedVersion !== undefined && expectedVersion !== interview.version) {
    throw new Conflict(
      `This logged interview was changed meanwhile (it is at version ${interview.version}, you sent ${expectedVersion}); read it again and decide on what is there now.`,
      'logged-interview-changed',
    );
  }
  return { participant, interview };
}
