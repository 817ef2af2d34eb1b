import type { Knex } from 'knex';
import type { EncryptionKey } from '../config';
import { Conflict, NotFound } from '../http/problem';
import { supersedePendingInvitations } from '../mail/outbox-repository';
import type { JobQueue } from '../jobs/queue';
import { encryptToken } from '../security/token-cipher';
import { newBookingLink } from './booking-link';
import { changeStatus } from './change-status';
import { queueInvitation } from './queue-invitation';
import {
  findLiveBooking,
  findParticipant,
  insertHistory,
  replaceBookingToken,
} from './participant-repository';

export interface ReinviteDeps {
  knex: Knex;
  queue: JobQueue;
  publicUrl: string;
  /** Encrypts the booking link while its email waits in the outbox. */
  keys: readonly EncryptionKey[];
}

/**
 * DESIGN 1.7: a fresh link (the old one stops working at once), status `invited`, and a
 * new email. Refused while an interview is booked: re-inviting would leave a calendar
 * event without a participant who knows about it — cancel first.
 */
export async function reinviteParticipant(
  deps: ReinviteDeps,
  researcherId: string,
  participantId: string,
): Promise<{ bookingUrl: string }> {
  return deps.knex.transaction(async (trx) => {
    const participant = await findParticipant(trx, researcherId, participantId, { forUpdate: true });
    if (!participant) throw new NotFound('No such participant.');
    if (await findLiveBooking(trx, participant.id)) {
      throw new Conflict(
        'This participant has an interview booked. Cancel it first, or let them move it from their link.',
        'booking-live',
      );
    }
    const link = newBookingLink(deps.publicUrl);
    await replaceBookingToken(trx, participant.id, link.tokenHash, encryptToken(link.url, deps.keys));
    const result = await changeStatus(trx, {
      participantId: participant.id,
      to: 'invited',
      kind: 'invited',
      source: 'researcher',
      actor: researcherId,
      reason: 're-invited',
      hasLiveBooking: false,
    });
    if (result.decision.kind === 'noop') {
      // Already `invited` (say, the first email bounced): still a new link, worth a row.
      await insertHistory(trx, participant.id, {
        kind: 'invited',
        from: 'invited',
        to: 'invited',
        source: 'researcher',
        actor: researcherId,
        reason: 're-invited',
        details: null,
      });
    }
    await supersedePendingInvitations(trx, participant.id);
    await queueInvitation(trx, deps.queue, deps.keys, {
      participant,
      bookingUrl: link.url,
      kind: 'reinvitation',
    });
    return { bookingUrl: link.url };
  });
}
