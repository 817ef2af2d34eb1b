import type { Knex } from 'knex';

export interface Researcher {
  id: string;
  googleSub: string;
  email: string;
  name: string;
  /** The zone the console writes times in; null: each study's own. */
  timeZone: string | null;
}

interface ResearcherRow {
  id: string;
  google_sub: string;
  email: string;
  name: string;
  time_zone: string | null;
}

const toResearcher = (row: ResearcherRow): Researcher => ({
  id: row.id,
  googleSub: row.google_sub,
  email: row.email,
  name: row.name,
  timeZone: row.time_zone,
});

/** Google's `sub` is the stable key: an email address can change, the account id cannot. */
export async function upsertResearcherByGoogleSub(
  db: Knex | Knex.Transaction,
  identity: { sub: string; email: string; name: string },
): Promise<Researcher> {
  const [row] = await db('researchers')
    .insert({ google_sub: identity.sub, email: identity.email, name: identity.name })
    .onConflict('google_sub')
    .merge({ email: identity.email, name: identity.name, updated_at: db.fn.now() })
    .returning<ResearcherRow[]>(['id', 'google_sub', 'email', 'name', 'time_zone']);
  if (!row) throw new Error('researcher upsert returned nothing');
  return toResearcher(row);
}

export async function findResearcher(db: Knex, id: string): Promise<Researcher | undefined> {
  const row = await db<ResearcherRow>('researchers').where({ id }).first();
  return row ? toResearcher(row) : undefined;
}

/** null: times in each study's own zone. */
export async function setResearcherTimeZone(db: Knex, id: string, timeZone: string | null): Promise<void> {
  await db('researchers').where({ id }).update({ time_zone: timeZone, updated_at: db.fn.now() });
}
