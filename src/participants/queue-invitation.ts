import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import type { JobQueue } from '../jobs/queue';
import { enqueueEmail } from '../mail/outbox-repository';
import { encryptToken } from '../security/token-cipher';
import type { Participant } from './participant-repository';

/**
 * The invitation (or re-invitation) email, into the outbox of the caller's transaction. The
 * outbox keeps no rendered message: the worker renders it at send time from the
 * participant, and the booking link waits encrypted under the refresh tokens' key ring, so
 * a dump of the table opens no booking.
 */
export async function queueInvitation(
  trx: Knex.Transaction,
  queue: JobQueue,
  keys: readonly EncryptionKey[],
  input: {
    participant: Pick<Participant, 'id' | 'name' | 'email'>;
    bookingUrl: string;
    kind: 'invitation' | 'reinvitation';
  },
): Promise<void> {
  const { participant } = input;
  await enqueueEmail(trx, queue, {
    participantId: participant.id,
    kind: input.kind,
    toEmail: participant.email,
    toName: participant.name,
    bookingUrl: encryptToken(input.bookingUrl, keys),
  });
}
