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
