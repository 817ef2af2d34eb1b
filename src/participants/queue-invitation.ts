import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import type { JobQueue } from '../jobs/queue';
import { enqueueEmails } from '../mail/outbox-repository';
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
  input: Invitation,
): Promise<void> {
  await queueInvitations(trx, queue, keys, [input]);
}

export interface Invitation {
  participant: Pick<Participant, 'id' | 'name' | 'email'>;
  bookingUrl: string;
  kind: 'invitation' | 'reinvitation';
}

/** Many invitations in a few statements (a bulk add). */
export async function queueInvitations(
  trx: Knex.Transaction,
  queue: JobQueue,
  keys: readonly EncryptionKey[],
  inputs: readonly Invitation[],
): Promise<void> {
  await enqueueEmails(
    trx,
    queue,
    inputs.map(({ participant, kind, bookingUrl }) => ({
      participantId: participant.id,
      kind,
      toEmail: participant.email,
      toName: participant.name,
      bookingUrl: encryptToken(bookingUrl, keys),
    })),
  );
}
