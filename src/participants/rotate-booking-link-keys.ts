import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { rotateEncryptedSecrets } from '../security/rotate-encrypted';
import { listBookingLinksNotUnderKey, replaceSealedBookingLink } from './participant-repository';

/**
 * Re-encrypts the participants' stored booking links (what "Copy booking link" shows) under
 * the first configured key, the same way refresh tokens and outbox links are. A link
 * replaced by a re-invite meanwhile is already under the current key and left alone.
 */
export function rotateBookingLinkKeys(
  knex: Knex,
  keys: readonly EncryptionKey[],
  onProgress?: (done: number) => void,
): Promise<{ reencrypted: number; left: number }> {
  return rotateEncryptedSecrets(
    {
      listNotUnderKey: async (keyId, limit) =>
        (await listBookingLinksNotUnderKey(knex, keyId, limit)).map((row) => ({
          id: row.participantId,
          secret: row.bookingLink,
        })),
      replace: (participantId, previous, next) =>
        replaceSealedBookingLink(knex, participantId, previous, next),
    },
    keys,
    onProgress,
  );
}
