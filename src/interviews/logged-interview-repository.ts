import type { Knex } from 'knex';

/** An interview held elsewhere that a researcher logged afterwards; no calendar event belongs to it. */
export interface LoggedInterview {
  id: string;
  participantId: string;
  studyId: string;
  researcherId: string;
  start: Date;
  end: Date;
  note: string | null;
  createdAt: Date;
}

export async function insertLoggedInterview(
  trx: Knex.Transaction,
  entry: Omit<LoggedInterview, 'id' | 'createdAt'>,
): Promise<LoggedInterview> {
  const [row] = (await trx('logged_interviews')
    .insert({
      participant_id: entry.participantId,
      study_id: entry.studyId,
      researcher_id: entry.researcherId,
      during: trx.raw(`tstzrange(?, ?, '[)')`, [entry.start, entry.end]),
      note: entry.note,
    })
    .returning(['id', 'created_at'])) as { id: string; created_at: Date }[];
  if (!row) throw new Error('logged interview not stored');
  return { ...entry, id: row.id, createdAt: row.created_at };
}

/** The participant's latest logged interview (by start), if any. */
export async function latestLoggedInterview(
  db: Knex | Knex.Transaction,
  participantId: string,
): Promise<{ start: Date; end: Date; note: string | null } | undefined> {
  return (await db('logged_interviews')
    .where({ participant_id: participantId })
    .orderByRaw('lower(during) DESC')
    .first(db.raw('lower(during) as start, upper(during) as "end", note'))) as
    { start: Date; end: Date; note: string | null } | undefined;
}
