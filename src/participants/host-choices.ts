import type { Knex } from 'knex';
import { listTeamMembers } from '../studies/study-host-repository';

/** The study's team members as the "Host" select of the log and edit forms lists them. */
export async function hostChoices(db: Knex, teamId: string): Promise<{ id: string; name: string }[]> {
  const members = await listTeamMembers(db, teamId);
  return members.map((member) => ({ id: member.researcherId, name: member.name || member.email }));
}
