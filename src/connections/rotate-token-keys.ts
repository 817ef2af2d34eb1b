import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { decryptToken, encryptToken } from '../security/token-cipher';
import { listTokensNotUnderKey, replaceEncryptedToken } from './connection-repository';

/**
 * Re-encrypts every stored refresh token under the first configured key. Rows are read in
 * batches and each is replaced only if unchanged since it was read, so running it while the
 * service works (a researcher reconnecting meanwhile) loses nothing. Run it after putting a
 * new key first in TOKEN_ENCRYPTION_KEYS; once it reports 0 left, the old key can go.
 */
export async function rotateTokenKeys(
  knex: Knex,
  keys: readonly EncryptionKey[],
  onProgress: (done: number) => void = () => {},
): Promise<{ reencrypted: number; left: number }> {
  const current = keys[0];
  if (!current) throw new Error('no token encryption key is configured');
  let reencrypted = 0;
  for (;;) {
    const batch = await listTokensNotUnderKey(knex, current.id, 200);
    if (batch.length === 0) break;
    let changed = 0;
    for (const row of batch) {
      const next = encryptToken(decryptToken(row.refreshToken, keys), keys);
      if (await replaceEncryptedToken(knex, row.researcherId, row.refreshToken, next)) changed += 1;
    }
    reencrypted += changed;
    onProgress(reencrypted);
    if (changed === 0) break; // every row of the batch moved on meanwhile: read again next run
  }
  const left = (await listTokensNotUnderKey(knex, current.id, 1)).length;
  return { reencrypted, left };
}
