import type { Knex } from 'knex';
import type { ConnectionState } from '../connections/connection-repository';

type Db = Knex | Knex.Transaction;

export interface Team {
  id: string;
  name: string;
  createdAt: Date;
}

/** A member's Google connection as the team sees it: without one, nothing is booked on them. */
export type MemberConnection = ConnectionState | 'not_connected';

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  joinedAt: Date;
  google: MemberConnection;
}

export interface StudyRef {
  id: string;
  title: string;
}

export async function findTeam(db: Db, teamId: string): Promise<Team | undefined> {
  const row = await db('teams')
    .where({ id: teamId })
    .first<{ id: string; name: string; created_at: Date } | undefined>('id', 'name', 'created_at');
  return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
}

export async function renameTeam(db: Db, teamId: string, name: string): Promise<void> {
  await db('teams').where({ id: teamId }).update({ name });
}

/** Members in the order they joined, each with the state of their Google connection. */
export async function listMembers(db: Db, teamId: string): Promise<TeamMember[]> {
  const rows = await db('researchers as r')
    .leftJoin('google_connections as g', 'g.researcher_id', 'r.id')
    .where('r.team_id', teamId)
    .orderBy([{ column: 'r.joined_team_at' }, { column: 'r.id' }])
    .select<
      { id: string; name: string; email: string; joined_team_at: Date; state: ConnectionState | null }[]
    >('r.id', 'r.name', 'r.email', 'r.joined_team_at', 'g.state');
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    joinedAt: row.joined_team_at,
    google: row.state ?? 'not_connected',
  }));
}

export async function countMembers(db: Db, teamId: string): Promise<number> {
  const row = await db('researchers').where({ team_id: teamId }).count<{ count: string }[]>('* as count');
  return Number(row[0]?.count ?? 0);
}

/** The researcher's team, locked: joining and leaving change who is in it. */
export async function lockTeamOf(trx: Knex.Transaction, researcherId: string): Promise<string | undefined> {
  const row = await trx('researchers')
    .where({ id: researcherId })
    .forUpdate()
    .first<{ team_id: string } | undefined>('team_id');
  return row?.team_id;
}

/** Serializes the changes to one team's members and invitations (invite, join, remove). */
export async function lockTeam(trx: Knex.Transaction, teamId: string): Promise<Team | undefined> {
  const row = await trx('teams')
    .where({ id: teamId })
    .forUpdate()
    .first<{ id: string; name: string; created_at: Date } | undefined>('id', 'name', 'created_at');
  return row ? { id: row.id, name: row.name, createdAt: row.created_at } : undefined;
}

/** A team of their own, named like the one every new researcher gets ("Ada's team"). */
export async function createOwnTeam(trx: Knex.Transaction, researcherId: string): Promise<Team> {
  const [row] = await trx
    .raw<{ rows: { id: string; name: string; created_at: Date }[] }>(
      `INSERT INTO teams (name)
       SELECT COALESCE(NULLIF(btrim(name), ''), email) || '''s team' FROM researchers WHERE id = ?
     RETURNING id, name, created_at`,
      [researcherId],
    )
    .then((result) => result.rows);
  if (!row) throw new Error('no such researcher');
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function setTeam(trx: Knex.Transaction, researcherId: string, teamId: string): Promise<void> {
  await trx('researchers')
    .where({ id: researcherId })
    .update({ team_id: teamId, joined_team_at: trx.fn.now(), updated_at: trx.fn.now() });
}

export async function listStudiesOfTeam(db: Db, teamId: string): Promise<StudyRef[]> {
  return db('studies').where({ team_id: teamId }).orderBy('created_at').select('id', 'title');
}

/** A researcher's old team's studies go with them when nobody else is left in it. */
export async function moveStudies(
  trx: Knex.Transaction,
  fromTeamId: string,
  toTeamId: string,
): Promise<number> {
  return trx('studies').where({ team_id: fromTeamId }).update({ team_id: toTeamId });
}

/** Only once nobody and nothing is left in it (its open invitations go with it). */
export async function deleteTeamIfEmpty(trx: Knex.Transaction, teamId: string): Promise<boolean> {
  const deleted = await trx('teams')
    .where({ id: teamId })
    .whereNotExists(trx('researchers').where({ team_id: teamId }).select(trx.raw('1')))
    .whereNotExists(trx('studies').where({ team_id: teamId }).select(trx.raw('1')))
    .delete();
  return deleted > 0;
}

/** The team's studies of which this researcher is the one and only host: nobody would hold them. */
export async function studiesHostedOnlyBy(db: Db, researcherId: string, teamId: string): Promise<StudyRef[]> {
  return db('studies as s')
    .join('study_hosts as h', 'h.study_id', 's.id')
    .where({ 's.team_id': teamId, 'h.researcher_id': researcherId })
    .whereNotExists(
      db('study_hosts as other')
        .whereRaw('other.study_id = s.id')
        .whereNot('other.researcher_id', researcherId)
        .select(db.raw('1')),
    )
    .orderBy('s.created_at')
    .select('s.id', 's.title');
}

/**
 * Takes the researcher out of the hosts of the team's studies, and closes the gap in each
 * study's order: position 0 organizes collective events, so the next host takes it.
 */
export async function dropFromHosts(
  trx: Knex.Transaction,
  researcherId: string,
  teamId: string,
): Promise<StudyRef[]> {
  const dropped = await trx('study_hosts as h')
    .whereIn('h.study_id', trx('studies').where({ team_id: teamId }).select('id'))
    .where('h.researcher_id', researcherId)
    .delete()
    .returning<{ study_id: string }[]>('study_id');
  const studyIds = dropped.map((row) => row.study_id);
  if (studyIds.length === 0) return [];
  await trx.raw(
    `UPDATE study_hosts h SET position = ranked.rank - 1
       FROM (SELECT study_id, researcher_id, row_number() OVER (PARTITION BY study_id ORDER BY position, added_at) AS rank
               FROM study_hosts WHERE study_id = ANY(?)) ranked
      WHERE h.study_id = ranked.study_id AND h.researcher_id = ranked.researcher_id AND h.position <> ranked.rank - 1`,
    [studyIds],
  );
  return trx('studies').whereIn('id', studyIds).orderBy('created_at').select('id', 'title');
}

/**
 * Interviews still ahead that this researcher hosts — those they organize and the collective
 * ones they attend (every host has a live `booking_hosts` row): they stay on their calendar
 * as they are.
 */
export async function countUpcomingInterviews(db: Db, researcherId: string, now: Date): Promise<number> {
  const row = await db('booking_hosts')
    .where({ researcher_id: researcherId, live: true })
    .whereRaw('upper(during) > ?', [now])
    .count<{ count: string }[]>('* as count');
  return Number(row[0]?.count ?? 0);
}
