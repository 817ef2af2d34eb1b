import type { Knex } from 'knex';
import type { HostConnection, HostHours } from '../availability/hosts';

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

function toStudyHost(row: StudyHostRow): StudyHost {
  return {
    researcherId: row.researcher_id,
    name: row.name,
    email: row.email,
    position: row.position,
    hours: row.host_hours,
    connection: row.connection_state === null ? 'none' : CONNECTIONS[row.connection_state],
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
