import type { Knex } from 'knex';
import { randomToken, sha256Hex } from '../security/secrets';

/** A recognisable prefix lets secret scanners and people tell what leaked. */
const TOKEN_PREFIX = 'isk_';

export interface ApiTokenSummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function createApiToken(
  db: Knex,
  researcherId: string,
  name: string,
): Promise<ApiTokenSummary & { token: string }> {
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const [row] = await db('api_tokens')
    .insert({ researcher_id: researcherId, token_hash: sha256Hex(token), name })
    .returning(['id', 'name', 'created_at', 'last_used_at']);
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at, token };
}

export async function listApiTokens(db: Knex, researcherId: string): Promise<ApiTokenSummary[]> {
  const rows = await db('api_tokens')
    .where({ researcher_id: researcherId })
    .whereNull('revoked_at')
    .orderBy('created_at')
    .select('id', 'name', 'created_at', 'last_used_at');
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  }));
}

export async function revokeApiToken(db: Knex, researcherId: string, id: string): Promise<boolean> {
  const changed = await db('api_tokens')
    .where({ id, researcher_id: researcherId })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() });
  return changed > 0;
}

/**
 * The researcher a bearer token belongs to. `last_used_at` is refreshed at most once a
 * minute so a busy script does not turn every read into a write.
 */
export async function researcherIdForApiToken(db: Knex, token: string): Promise<string | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await db('api_tokens')
    .where({ token_hash: sha256Hex(token) })
    .whereNull('revoked_at')
    .first('id', 'researcher_id', 'last_used_at');
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db('api_tokens').where({ id: row.id }).update({ last_used_at: db.fn.now() });
  }
  return row.researcher_id;
}
