import type { Knex } from 'knex';
import type { ParticipantStatus } from '../participants/status-rules';

type Db = Knex | Knex.Transaction;

/** The verdicts a logged interview records (DESIGN 2: set by hand, on an interview that took place). */
export const LOGGED_VERDICTS = ['completed', 'no_show'] as const satisfies readonly ParticipantStatus[];
export type LoggedVerdict = (typeof LOGGED_VERDICTS)[number];

/** An interview held elsewhere that a researcher logged afterwards; no calendar event belongs to it. */
export interface LoggedInterview {
  id: string;
  participantId: string;
  studyId: string;
  /** Who logged it. */
  researcherId: string;
  /** The team member who held it (issue 15); whoever logged it unless they named another. */
  hostId: string;
  start: Date;
  end: Date;
  note: string | null;
  verdict: LoggedVerdict;
  /** 1 when logged, one more with each edit: what an edit or deletion must name to go ahead. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

interface LoggedInterviewRow {
  id: string;
  participant_id: string;
  study_id: string;
  researcher_id: string;
  host_id: string;
  start: Date;
  end: Date;
  note: string | null;
  verdict: LoggedVerdict;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, participant_id, study_id, researcher_id, host_id, lower(during) as start, upper(during) as "end", note, verdict, version, created_at, updated_at';

const toLoggedInterview = (row: LoggedInterviewRow): LoggedInterview => ({
  id: row.id,
  participantId: row.participant_id,
  studyId: row.study_id,
  researcherId: row.researcher_id,
  hostId: row.host_id,
  start: row.start,
  end: row.end,
  note: row.note,
  verdict: row.verdict,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertLoggedInterview(
  trx: Knex.Transaction,
  entry: Pick<
    LoggedInterview,
    'participantId' | 'studyId' | 'researcherId' | 'hostId' | 'start' | 'end' | 'note' | 'verdict'
  >,
): Promise<LoggedInterview> {
  const [row] = (await trx('logged_interviews')
    .insert({
      participant_id: entry.participantId,
      study_id: entry.studyId,
      researcher_id: entry.researcherId,
      host_id: entry.hostId,
      during: trx.raw(`tstzrange(?, ?, '[)')`, [entry.start, entry.end]),
      note: entry.note,
      verdict: entry.verdict,
    })
    .returning(trx.raw(COLUMNS))) as LoggedInterviewRow[];
  if (!row) throw new Error('logged interview not stored');
  return toLoggedInterview(row);
}

/**
 * One logged interview of the participant. The caller has already found the participant
 * through the researcher-scoped `findParticipant`, so the participant id carries the access
 * check: an id of another participant's logged interview is simply not found.
 */
export async function findLoggedInterview(
  db: Db,
  participantId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<LoggedInterview | undefined> {
  const query = db('logged_interviews').where({ id, participant_id: participantId }).first(db.raw(COLUMNS));
  if (options.forUpdate) query.forUpdate();
  const row = (await query) as LoggedInterviewRow | undefined;
  return row ? toLoggedInterview(row) : undefined;
}

/** The participant's logged interviews, the latest (by start) first. */
export async function listLoggedInterviews(db: Db, participantId: string): Promise<LoggedInterview[]> {
  const rows = (await db('logged_interviews')
    .where({ participant_id: participantId })
    .select(db.raw(COLUMNS))
    .orderByRaw('lower(during) DESC, id DESC')) as LoggedInterviewRow[];
  return rows.map(toLoggedInterview);
}

/** Stores an edit and counts it (`version` + 1). */
export async function updateLoggedInterview(
  trx: Knex.Transaction,
  id: string,
  fields: Pick<LoggedInterview, 'start' | 'end' | 'note' | 'verdict' | 'hostId'>,
): Promise<LoggedInterview> {
  const [row] = (await trx('logged_interviews')
    .where({ id })
    .update({
      host_id: fields.hostId,
      during: trx.raw(`tstzrange(?, ?, '[)')`, [fields.start, fields.end]),
      note: fields.note,
      verdict: fields.verdict,
      version: trx.raw('version + 1'),
      updated_at: trx.fn.now(),
    })
    .returning(trx.raw(COLUMNS))) as LoggedInterviewRow[];
  if (!row) throw new Error(`logged interview ${id} vanished under its lock`);
  return toLoggedInterview(row);
}

export async function deleteLoggedInterview(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('logged_interviews').where({ id }).delete();
}

/** A status-changing history row, as the standing of a logged interview's verdict reads it. */
export interface StatusRow {
  from: ParticipantStatus | null;
  to: ParticipantStatus;
  details: Record<string, unknown> | null;
}

/** The participant's status-changing history rows (not `rescheduled` notes), newest first. */
export async function statusRowsNewestFirst(db: Db, participantId: string): Promise<StatusRow[]> {
  const rows = (await db('status_history')
    .where({ participant_id: participantId })
    .whereIn('kind', ['status', 'invited'])
    .orderBy('id', 'desc')
    .select('from_status', 'to_status', 'details')) as {
    from_status: ParticipantStatus | null;
    to_status: ParticipantStatus;
    details: Record<string, unknown> | null;
  }[];
  return rows.map((row) => ({ from: row.from_status, to: row.to_status, details: row.details }));
}
