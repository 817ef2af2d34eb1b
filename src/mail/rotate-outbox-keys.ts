import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { decryptToken, encryptToken } from '../security/token-cipher';
import { listLinksNotUnderKey, replaceEncryptedLink } from './outbox-repository';

/**
 * Re-encrypts the booking links of emails still waiting in the outbox under the first
 * configured key, the same way refresh tokens are (`rotateTokenKeys`): in batches, each row
 * replaced only if unchanged since it was read, so a row sent meanwhile (its link dropped)
 * is simply left alone. Sent and failed rows hold no link and need nothing.
 */
export async function rotateOutboxLinkKeys(
  knex: Knex,
  keys: readonly EncryptionKey[],
  onProgress: (done: number) => void = () => {},
): Promise<{ reencrypted: number; left: number }> {
  const current = keys[0];
  if (!current) throw new Error('no token encryption key is configured');
  let reencrypted = 0;
  for (;;) {
    const batch = await listLinksNotUnderKey(knex, current.id, 200);
    if (batch.length === 0) break;
    let changed = 0;
    for (const row of batch) {
      const next = encryptToken(decryptToken(row.bookingUrl, keys), keys);
      if (await replaceEncryptedLink(knex, row.outboxId, row.bookingUrl, next)) changed += 1;
    }
    reencrypted += changed;
    onProgress(reencrypted);
    if (changed === 0) break; // every row of the batch moved on meanwhile: read again next run
  }
  const left = (await listLinksNotUnderKey(knex, current.id, 1)).length;
  return { reencrypted, left };
}
