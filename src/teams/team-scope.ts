import type { Knex } from 'knex';

/**
 * The team a researcher belongs to, as a subquery: studies, participants and everything
 * under them are visible to every member of the study's team (issue 15), so a query scoped
 * "to the caller" reads `studies.team_id = (teamOf(caller))`. One indexed lookup inside the
 * query instead of a round trip before it.
 */
export function teamOf(db: Knex | Knex.Transaction, researcherId: string): Knex.QueryBuilder {
  return db('researchers').select('team_id').where({ id: researcherId }).first();
}

/** The caller's team id, for the few places that need it as a value. */
export async function teamIdOf(
  db: Knex | Knex.Transaction,
  researcherId: string,
): Promise<string | undefined> {
  const row = await db('researchers')
    .where({ id: researcherId })
    .first<{ team_id: string } | undefined>('team_id');
  return row?.team_id;
}

/**
 * The ids of the studies of the caller's team, as a subquery: participants, bookings and
 * logged interviews reach their team through their study (`whereIn('study_id', …)`).
 */
export function teamStudyIds(db: Knex | Knex.Transaction, callerId: string): Knex.QueryBuilder {
  return db('studies').select('studies.id').where('studies.team_id', teamOf(db, callerId));
}

/**
 * The caller's team for raw SQL, with the caller's id as its one binding:
 * `s.team_id = ${TEAM_OF_SQL}`.
 */
export const TEAM_OF_SQL = '(SELECT r.team_id FROM researchers r WHERE r.id = ?)';
