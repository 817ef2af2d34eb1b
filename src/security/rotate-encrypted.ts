import type { EncryptionKey } from '../config';
import { decryptToken, encryptToken, type EncryptedToken } from './token-cipher';

/** Where the secrets of one kind are kept: the repository side of a key rotation. */
export interface EncryptedSecretStore<Id> {
  /** Up to `limit` secrets sealed under another key than `currentKeyId`. */
  listNotUnderKey(currentKeyId: string, limit: number): Promise<{ id: Id; secret: EncryptedToken }[]>;
  /** Replaces `previous` by `next` only if it is still what is stored; true when it was. */
  replace(id: Id, previous: EncryptedToken, next: EncryptedToken): Promise<boolean>;
}

/**
 * Re-encrypts every secret of a store under the first configured key. Rows are read in
 * batches and each is replaced only if unchanged since it was read, so running it while the
 * service works (a researcher reconnecting, an email sent meanwhile) loses nothing. Once it
 * reports 0 left for every store, the old key can go.
 */
export async function rotateEncryptedSecrets<Id>(
  store: EncryptedSecretStore<Id>,
  keys: readonly EncryptionKey[],
  onProgress: (done: number) => void = () => {},
): Promise<{ reencrypted: number; left: number }> {
  const current = keys[0];
  if (!current) throw new Error('no token encryption key is configured');
  let reencrypted = 0;
  for (;;) {
    const batch = await store.listNotUnderKey(current.id, 200);
    if (batch.length === 0) break;
    let changed = 0;
    for (const row of batch) {
      const next = encryptToken(decryptToken(row.secret, keys), keys);
      if (await store.replace(row.id, row.secret, next)) changed += 1;
    }
    reencrypted += changed;
    onProgress(reencrypted);
    if (changed === 0) break; // every row of the batch moved on meanwhile: read again next run
  }
  const left = (await store.listNotUnderKey(current.id, 1)).length;
  return { reencrypted, left };
}
