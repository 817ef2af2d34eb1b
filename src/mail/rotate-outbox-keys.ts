import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { rotateEncryptedSecrets } from '../security/rotate-encrypted';
import { listLinksNotUnderKey, replaceEncryptedLink } from './outbox-repository';

/**
 * Re-encrypts the booking links of emails still waiting in the outbox under the first
 * configured key, the same way refresh tokens are. A row sent meanwhile (its link dropped)
 * is simply left alone; sent, failed and superseded rows hold no link and need nothing.
 */
export function rotateOutboxLinkKeys(
  knex: Knex,
  keys: readonly EncryptionKey[],
  onProgress?: (done: number) => void,
): Promise<{ reencrypted: number; left: number }> {
  return rotateEncryptedSecrets(
    {
      listNotUnderKey: async (keyId, limit) =>
        (await listLinksNotUnderKey(knex, keyId, limit)).map((row) => ({
          id: row.outboxId,
          secret: row.bookingUrl,
        })),
      replace: (outboxId, previous, next) => replaceEncryptedLink(knex, outboxId, previous, next),
    },
    keys,
    onProgress,
  );
}
