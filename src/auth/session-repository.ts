import type { Knex } from 'knex';
import { randomToken, sha256Hex } from '../security/secrets';

export const SESSION_TTL_DAYS = 30;

/** A new session; only the hash of its id is stored, so the table cannot be replayed. */
export async function createSession(db: Knex, researcherId: string, now = new Date()): Promise<string> {
  const id = randomToken(32);
  await db('sessions').insert({
    id_hash: sha256Hex(id),
    researcher_id: researcherId,
    expires_at: new Date(now.getTime() + SESSION_TTL_DAYS * 86_400_000),
  });
  return id;
}

export async function researcherIdForSession(
  db: Knex,
  id: string,
  now = new Date(),
): Promise<string | undefined> {
  const row = await db('sessions')
    .where({ id_hash: sha256Hex(id) })
    .andWhere('expires_at', '>', now)
    .first('researcher_id');
  return row?.researcher_id;
}

/** The session's researcher and the zone they read times in (null: each study's own). */
export async function sessionResearcher(
  db: Knex,
  id: string,
  now = new Date(),
): Promise<{ researcherId: string; timeZone: string | null } | undefined> {
  const row = await db({ s: 'sessions' })
    .join({ r: 'researchers' }, 'r.id', 's.researcher_id')
    .where({ 's.id_hash': sha256Hex(id) })
    .andWhere('s.expires_at', '>', now)
    .first('s.researcher_id', 'r.time_zone');
  return row ? { researcherId: row.researcher_id, timeZone: row.time_zone } : undefined;
}

/** Sessions past their expiry can never sign anyone in again. */
export async function deleteExpiredSessions(db: Knex, now: Date): Promise<number> {
  return db('sessions').where('expires_at', '<=', now).delete();
}

export async function deleteSession(db: Knex, id: string): Promise<void> {
  await db('sessions')
    .where({ id_hash: sha256Hex(id) })
    .delete();
}
