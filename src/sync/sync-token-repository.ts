import type { Knex } from 'knex';

/**
 * Stores a new sync token only if the stored one is still the token the sync started from.
 * Two syncs of one calendar may overlap (a notification during a sync, the nightly run); the
 * one finishing last must not put an older position back. A reconnect or a revocation resets
 * the token meanwhile, and then the stale sync's token is dropped too.
 */
export async function replaceSyncToken(
  db: Knex,
  researcherId: string,
  startedFrom: string | null,
  next: string,
): Promise<boolean> {
  const changed = await db('google_connections')
    .where({ researcher_id: researcherId, state: 'connected' })
    .andWhereRaw('sync_token IS NOT DISTINCT FROM ?', [startedFrom])
    .update({ sync_token: next, last_synced_at: db.fn.now(), updated_at: db.fn.now() });
  return changed > 0;
}
