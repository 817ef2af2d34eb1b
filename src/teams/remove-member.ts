import type { Knex } from 'knex';
import { Conflict, NotFound } from '../http/problem';
import { teamIdOf } from './team-scope';
import {
  countMembers,
  countUpcomingInterviews,
  createOwnTeam,
  dropFromHosts,
  lockTeam,
  lockTeamOf,
  setTeam,
  studiesHostedOnlyBy,
  type StudyRef,
  type Team,
} from './team-repository';

export interface RemovedMember {
  researcherId: string;
  /** The team of their own they are in now. */
  newTeam: Team;
  /** The team's studies they no longer host. */
  droppedFromStudies: StudyRef[];
  /** Interviews they organize that are still ahead: left as they are on their calendar. */
  upcomingInterviews: number;
}

/**
 * A member takes a colleague (or themselves) out of the team. The colleague gets a team of
 * their own and stops hosting the team's studies; the studies stay with the team. Refused,
 * with nothing changed: removing yourself as the last member (there would be nobody left to
 * leave), and removing someone who is the only host of a study (nobody would hold it) — the
 * answer names those studies.
 */
export async function removeMember(
  knex: Knex,
  input: { actorId: string; memberId: string; now?: Date },
): Promise<RemovedMember> {
  const now = input.now ?? new Date();
  return knex.transaction(async (trx) => {
    const teamId = await teamIdOf(trx, input.actorId);
    if (!teamId) throw new Error('the acting researcher does not exist');
    // The member's row first, then the team: the order joining takes them in (sign-in
    // writes the researcher's row, then locks the teams), so the two cannot deadlock.
    if ((await lockTeamOf(trx, input.memberId)) !== teamId)
      throw new NotFound('No such member in your team.');
    await lockTeam(trx, teamId);
    if (input.memberId === input.actorId && (await countMembers(trx, teamId)) === 1) {
      throw new Conflict(
        'You are the last member of this team: there is no team to leave. Invite a colleague first if the studies should stay with someone.',
        'last-member',
      );
    }
    const onlyHostOf = await studiesHostedOnlyBy(trx, input.memberId, teamId);
    if (onlyHostOf.length > 0) {
      throw new Conflict(
        `They are the only host of ${onlyHostOf.map((study) => `“${study.title}”`).join(', ')}. Add another host to ${onlyHostOf.length === 1 ? 'that study' : 'those studies'} first.`,
        'only-host',
        { studies: onlyHostOf },
      );
    }
    const droppedFromStudies = await dropFromHosts(trx, input.memberId, teamId);
    const newTeam = await createOwnTeam(trx, input.memberId);
    await setTeam(trx, input.memberId, newTeam.id);
    return {
      researcherId: input.memberId,
      newTeam,
      droppedFromStudies,
      upcomingInterviews: await countUpcomingInterviews(trx, input.memberId, now),
    };
  });
}

/** What the API and the console say about a removed colleague's interviews. */
export function upcomingInterviewsNote(count: number): string {
  if (count === 0) return 'They have no upcoming interviews.';
  return count === 1
    ? 'Their 1 upcoming interview stays as it is on their Google Calendar.'
    : `Their ${count} upcoming interviews stay as they are on their Google Calendar.`;
}
