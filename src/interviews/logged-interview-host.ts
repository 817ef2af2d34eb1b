import type { Knex } from 'knex';
import { Invalid } from '../http/problem';

/**
 * The host named for a logged interview must be a member of the study's team (whoever
 * logs it is, having found the participant); anyone else is a 400 naming the field.
 */
export async function assertStudyTeamMember(
  db: Knex | Knex.Transaction,
  hostId: string,
  studyId: string,
): Promise<void> {
  const member = await db({ r: 'researchers' })
    .join({ s: 'studies' }, 's.team_id', 'r.team_id')
    .where({ 'r.id': hostId, 's.id': studyId })
    .first('r.id');
  if (!member) {
    throw new Invalid('The host must be a member of the study’s team.', [
      { location: 'body', path: 'hostId', message: 'not a member of the study’s team' },
    ]);
  }
}

/** The names of the researchers who held logged interviews (their email if they gave no name). */
export async function hostNames(
  db: Knex | Knex.Transaction,
  hostIds: readonly string[],
): Promise<Map<string, string>> {
  if (hostIds.length === 0) return new Map();
  const rows = await db('researchers')
    .whereIn('id', [...new Set(hostIds)])
    .select<{ id: string; name: string; email: string }[]>('id', 'name', 'email');
  return new Map(rows.map((row) => [row.id, row.name || row.email]));
}
