import type { Knex } from 'knex';
import type { EncryptedToken } from '../security/token-cipher';

/** `needs_consent`: the grant works but lacks a calendar permission (403 insufficientPermissions). */
export type ConnectionState = 'connected' | 'revoked' | 'needs_consent';

export interface GoogleConnection {
  researcherId: string;
  googleEmail: string;
  calendarId: string;
  refreshToken: EncryptedToken;
  scopes: string[];
  state: ConnectionState;
  syncToken: string | null;
  lastSyncedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface ConnectionRow {
  researcher_id: string;
  google_email: string;
  calendar_id: string;
  refresh_token_ciphertext: string;
  key_id: string;
  scopes: string[];
  state: ConnectionState;
  sync_token: string | null;
  last_synced_at: Date | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const toConnection = (row: ConnectionRow): GoogleConnection => ({
  researcherId: row.researcher_id,
  googleEmail: row.google_email,
  calendarId: row.calendar_id,
  refreshToken: { ciphertext: row.refresh_token_ciphertext, keyId: row.key_id },
  scopes: row.scopes,
  state: row.state,
  syncToken: row.sync_token,
  lastSyncedAt: row.last_synced_at,
  revokedAt: row.revoked_at,
  revokedReason: row.revoked_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function findConnection(
  db: Knex | Knex.Transaction,
  researcherId: string,
): Promise<GoogleConnection | undefined> {
  const row = await db<ConnectionRow>('google_connections').where({ researcher_id: researcherId }).first();
  return row ? toConnection(row) : undefined;
}

/**
 * Stores a (re)connection. Google omits the refresh token on a re-consent that did not ask
 * for it again; `refreshToken` undefined then keeps the stored one. The sync token is kept
 * for the same calendar (a revoked connection has none left) and reset for another one.
 */
export async function saveConnection(
  trx: Knex.Transaction,
  input: {
    researcherId: string;
    googleEmail: string;
    calendarId: string;
    refreshToken: EncryptedToken | undefined;
    scopes: string[];
  },
): Promise<'saved' | 'noRefreshToken'> {
  const existing = await trx<ConnectionRow>('google_connections')
    .where({ researcher_id: input.researcherId })
    .forUpdate()
    .first();
  const token = input.refreshToken ?? (existing ? toConnection(existing).refreshToken : undefined);
  if (!token) return 'noRefreshToken';
  const values = {
    google_email: input.googleEmail,
    calendar_id: input.calendarId,
    refresh_token_ciphertext: token.ciphertext,
    key_id: token.keyId,
    scopes: input.scopes,
    state: 'connected',
    // A sign-in again to the same calendar keeps its sync token: the next sync reads every
    // change since (a fresh token would skip them). Another calendar starts afresh.
    sync_token: existing && existing.calendar_id === input.calendarId ? existing.sync_token : null,
    revoked_at: null,
    revoked_reason: null,
    updated_at: trx.fn.now(),
  };
  if (existing) {
    await trx('google_connections').where({ researcher_id: input.researcherId }).update(values);
  } else {
    await trx('google_connections').insert({ researcher_id: input.researcherId, ...values });
  }
  return 'saved';
}

/** Idempotent: a connection already revoked keeps its first revocation time and reason. */
export async function markConnectionRevoked(
  db: Knex,
  researcherId: string,
  reason: string,
): Promise<boolean> {
  const changed = await db('google_connections')
    .where({ researcher_id: researcherId, state: 'connected' })
    .update({
      state: 'revoked',
      revoked_at: db.fn.now(),
      revoked_reason: reason,
      sync_token: null,
      updated_at: db.fn.now(),
    });
  return changed > 0;
}

/**
 * Google answered 403 `insufficientPermissions`: a permission was taken away (or never
 * granted). The researcher must consent again; the sync token stays for when they do.
 */
export async function markConnectionNeedsConsent(db: Knex, researcherId: string): Promise<boolean> {
  const changed = await db('google_connections')
    .where({ researcher_id: researcherId, state: 'connected' })
    .update({
      state: 'needs_consent',
      revoked_at: db.fn.now(),
      revoked_reason: 'insufficientPermissions',
      updated_at: db.fn.now(),
    });
  return changed > 0;
}

export async function saveSyncToken(
  db: Knex | Knex.Transaction,
  researcherId: string,
  syncToken: string | null,
) {
  await db('google_connections')
    .where({ researcher_id: researcherId })
    .update({ sync_token: syncToken, last_synced_at: db.fn.now(), updated_at: db.fn.now() });
}

/**
 * Connected researchers grouped by the Google account they connected (usually one each; two
 * researchers may share one account). Google's quotas are per user, so work that calls Google
 * for many calendars keeps each group's calls one at a time.
 */
export async function listConnectedResearchersByGoogleUser(db: Knex): Promise<string[][]> {
  const rows: { researcher_id: string; google_email: string }[] = await db('google_connections')
    .where({ state: 'connected' })
    .orderBy(['google_email', 'researcher_id'])
    .select('researcher_id', 'google_email');
  const byUser = new Map<string, string[]>();
  for (const row of rows) {
    const key = row.google_email.toLowerCase();
    byUser.set(key, [...(byUser.get(key) ?? []), row.researcher_id]);
  }
  return [...byUser.values()];
}

/** Rows whose refresh token is not under `currentKeyId`, in batches, for key rotation. */
export async function listTokensNotUnderKey(
  db: Knex,
  currentKeyId: string,
  limit: number,
): Promise<{ researcherId: string; refreshToken: EncryptedToken }[]> {
  const rows = await db<ConnectionRow>('google_connections')
    .whereNot({ key_id: currentKeyId })
    .orderBy('researcher_id')
    .limit(limit)
    .select('researcher_id', 'refresh_token_ciphertext', 'key_id');
  return rows.map((row) => ({
    researcherId: row.researcher_id,
    refreshToken: { ciphertext: row.refresh_token_ciphertext, keyId: row.key_id },
  }));
}

/** Replaces a token only if it is still the one that was read (a reconnect may have won). */
export async function replaceEncryptedToken(
  db: Knex,
  researcherId: string,
  previous: EncryptedToken,
  next: EncryptedToken,
): Promise<boolean> {
  const changed = await db('google_connections')
    .where({
      researcher_id: researcherId,
      refresh_token_ciphertext: previous.ciphertext,
      key_id: previous.keyId,
    })
    .update({ refresh_token_ciphertext: next.ciphertext, key_id: next.keyId, updated_at: db.fn.now() });
  return changed > 0;
}
