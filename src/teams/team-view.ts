import type { Knex } from 'knex';
import { listPendingInvitations, type PendingInvitation } from './invitation-repository';
import { teamIdOf } from './team-scope';
import { findTeam, listMembers, type Team, type TeamMember } from './team-repository';

export interface TeamView {
  team: Team;
  members: TeamMember[];
  invitations: PendingInvitation[];
}

/** The caller's team as the API and the team page show it. */
export async function loadTeamView(knex: Knex, researcherId: string, now: Date): Promise<TeamView> {
  const teamId = await teamIdOf(knex, researcherId);
  const team = teamId ? await findTeam(knex, teamId) : undefined;
  if (!team) throw new Error('the researcher has no team');
  const [members, invitations] = await Promise.all([
    listMembers(knex, team.id),
    listPendingInvitations(knex, team.id, now),
  ]);
  return { team, members, invitations };
}
