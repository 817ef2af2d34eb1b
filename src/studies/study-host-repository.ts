import type { Knex } from 'knex';
import type { HostConnection, HostHours } from '../availability/hosts';
import type { MemberFacts } from './study-hosting';

/**
 * A study's host as the booking path and the console need it: who, in which order (the
 * first organizes collective events), their own weekly hours if they keep any, and whether
 * their Google connection can take bookings (`none`: never connected).
 */
export interface StudyHost {
  researcherId: string;
  name: string;
  email: string;
  position: number;
  hours: HostHours | null;
  connection: HostConnection | 'none';
}

interface StudyHostRow {
  study_id: string;
  researcher_id: string;
  name: string;
  email: string;
  position: number;
  host_hours: HostHours | null;
  connection_state: 'connected' | 'revoked' | 'needs_consent' | null;
}

const CONNECTIONS: Record<NonNullable<StudyHostRow['connection_state']>, HostConnection> = {
  connected: 'connected',
  revoked: 'revoked',
  needs_consent: 'needs-consent',
};

/** A host's Google connection as the slot rules know it, from `google_connections.state`. */
export function hostConnectionOf(state: StudyHostRow['connection_state']): StudyHost['connection'] {
  return state === null ? 'none' : CONNECTIONS[state];
}

function toStudyHost(row: StudyHostRow): StudyHost {
  return {
    researcherId: row.researcher_id,
    name: row.name,
    email: row.email,
    position: row.position,
    hours: row.host_hours,
    connection: hostConnectionOf(row.connection_state),
  };
}

function selectStudyHosts(db: Knex | Knex.Transaction) {
  return db({ h: 'study_hosts' })
    .join({ r: 'researchers' }, 'r.id', 'h.researcher_id')
    .leftJoin({ c: 'google_connections' }, 'c.researcher_id', 'h.researcher_id')
    .select<StudyHostRow[]>(
      'h.study_id',
      'h.researcher_id',
      'r.name',
      'r.email',
      'h.position',
      'r.host_hours',
      'c.state as connection_state',
    )
    .orderBy([{ column: 'h.study_id' }, { column: 'h.position' }]);
}

/** The study's hosts, first (organizer) first. */
export async function listStudyHosts(db: Knex | Knex.Transaction, studyId: string): Promise<StudyHost[]> {
  const rows = await selectStudyHosts(db).where('h.study_id', studyId);
  return rows.map(toStudyHost);
}

/** Hosts of several studies at once, for lists. */
export async function listHostsOfStudies(
  db: Knex | Knex.Transaction,
  studyIds: readonly string[],
): Promise<Map<string, StudyHost[]>> {
  const byStudy = new Map<string, StudyHost[]>(studyIds.map((id) => [id, []]));
  if (studyIds.length === 0) return byStudy;
  const rows = await selectStudyHosts(db).whereIn('h.study_id', studyIds);
  for (const row of rows) byStudy.get(row.study_id)?.push(toStudyHost(row));
  return byStudy;
}

/** A member of a team as the host pickers and rules see them. */
export type TeamMember = MemberFacts;

/**
 * The team's members, by name, with what decides whether they can host. `lock`: hold their
 * rows (FOR SHARE) until the transaction ends, so a member cannot clear their own hours
 * between this check and a study that reads them being saved (see clearHostHours).
 */
export async function listTeamMembers(
  db: Knex | Knex.Transaction,
  teamId: string,
  options: { lock?: boolean } = {},
): Promise<TeamMember[]> {
  const query = db({ r: 'researchers' })
    .leftJoin({ c: 'google_connections' }, 'c.researcher_id', 'r.id')
    .where('r.team_id', teamId)
    .select<
      {
        id: string;
        name: string;
        email: string;
        has_hours: boolean;
        connection_state: StudyHostRow['connection_state'];
      }[]
    >(
      'r.id',
      'r.name',
      'r.email',
      db.raw('r.host_hours IS NOT NULL AS has_hours'),
      'c.state as connection_state',
    )
    .orderByRaw("lower(coalesce(nullif(r.name, ''), r.email)), r.id");
  if (options.lock) query.forShare('r');
  const rows = await query;
  return rows.map((row) => ({
    researcherId: row.id,
    name: row.name,
    email: row.email,
    connection: hostConnectionOf(row.connection_state),
    hasOwnHours: row.has_hours,
  }));
}

/**
 * Stores who hosts the study and how, in the caller's transaction (the one that saves the
 * study). Hosts who stay keep when and by whom they were added; only bookings made from now
 * on see the change: a booked interview keeps its hosts in `booking_hosts`.
 */
export async function saveStudyHosting(
  trx: Knex.Transaction,
  studyId: string,
  hosting: { schedulingType: string; hostHours: string; hosts: readonly string[] },
  addedBy: string,
): Promise<void> {
  await trx('studies')
    .where({ id: studyId })
    .update({ scheduling_type: hosting.schedulingType, host_hours: hosting.hostHours });
  await trx('study_hosts').where({ study_id: studyId }).whereNotIn('researcher_id', hosting.hosts).delete();
  await trx('study_hosts')
    .insert(
      hosting.hosts.map((researcherId, position) => ({
        study_id: studyId,
        researcher_id: researcherId,
        position,
        added_by: addedBy,
      })),
    )
    .onConflict(['study_id', 'researcher_id'])
    .merge(['position']);
}

/** Studies that read this researcher's own hours (they host them with `per_host`), by title. */
export async function perHostStudiesOf(
  db: Knex | Knex.Transaction,
  researcherId: string,
): Promise<{ id: string; title: string }[]> {
  return db({ h: 'study_hosts' })
    .join({ s: 'studies' }, 's.id', 'h.study_id')
    .where({ 'h.researcher_id': researcherId, 's.host_hours': 'per_host' })
    .orderBy('s.title')
    .select<{ id: string; title: string }[]>('s.id', 's.title');
}
