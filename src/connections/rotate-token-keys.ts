import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { rotateEncryptedSecrets } from '../security/rotate-encrypted';
import { listTokensNotUnderKey, replaceEncryptedToken } from './connection-repository';

/**
 * Re-encrypts every stored refresh token under the first configured key. Run it after
 * putting a new key first in TOKEN_ENCRYPTION_KEYS; once it reports 0 left, the old key can go.
 */
export function rotateTokenKeys(
  knex: Knex,
  keys: readonly EncryptionKey[],
  onProgress?: (done: number) => void,
): Promise<{ reencrypted: number; left: number }> {
  return rotateEncryptedSecrets(
    {
      listNotUnderKey: async (keyId, limit) =>
        (await listTokensNotUnderKey(knex, keyId, limit)).map((row) => ({
          id: row.researcherId,
          secret: row.refreshToken,
        })),
      replace: (researcherId, previous, next) => replaceEncryptedToken(knex, researcherId, previous, next),
    },
    keys,
    onProgress,
  );
}
