import type { Knex } from 'knex';
import { markBookingCancelled } from '../bookings/booking-repository';
import {
  deleteEventNow,
  scheduleEventDeletion,
  type DeleteEventDeps,
} from '../bookings/delete-calendar-event';
import { Conflict, NotFound } from '../http/problem';
import { queueBookingEmail } from '../mail/booking-email-outbox';
import { changeStatus } from './change-status';
import { LinkChangeRefused } from './link-refusal';
import { findLiveBooking, findParticipant, type Participant } from './participant-repository';
import { decideLinkChange, interviewTiming, type StatusSource } from './status-rules';

export interface CancelInput {
  participantId: string;
  source: Extract<StatusSource, 'researcher' | 'participant'>;
  actor: string;
  reason?: string | null;
  /**
   * The booking the canceller saw (a form that names a time): when it is no longer the live
   * one — moved to another booking, cancelled, rebooked — nothing is cancelled.
   */
  bookingId?: string | undefined;
  /** The moment of the cancel, against which the interview's start is judged. */
  now?: Date;
}

/**
 * DESIGN 1.7 (researcher) and 1.3 (participant from the link): the booking is cancelled and
 * the participant `canceled` in one transaction, which also queues the deletion of the
 * Google event; after the commit the event is deleted at once when Google answers.
 * `researcherId` scopes the lookup for the researcher API; the booking flow passes the
 * participant's own researcher. The participant's link is judged by the rule book under the
 * participant lock: nothing booked, an interview that has started, or a researcher's verdict
 * refuses the cancel and changes nothing.
 */
export async function cancelParticipant(
  deps: DeleteEventDeps,
  researcherId: string,
  input: CancelInput,
): Promise<Participant> {
  const { participant, bookingId } = await deps.knex.transaction(async (trx: Knex.Transaction) => {
    const found = await findParticipant(trx, researcherId, input.participantId, { forUpdate: true });
    if (!found) throw new NotFound('No such participant.');
    const booking = await findLiveBooking(trx, found.id);
    if (input.bookingId !== undefined && booking?.id !== input.bookingId) throw new BookingChanged();
    const now = input.now ?? new Date();
    if (input.source === 'participant') {
      const decision = decideLinkChange({
        action: 'cancel',
        status: found.status,
        interview: interviewTiming(booking, now),
      });
      if (decision.kind === 'refuse') throw new LinkChangeRefused(decision.reason);
    }
    if (booking) {
      await markBookingCancelled(trx, booking.id);
      await scheduleEventDeletion(trx, deps.queue, booking.id);
    }
    const result = await changeStatus(trx, {
      participantId: found.id,
      to: 'canceled',
      source: input.source,
      actor: input.actor,
      reason: input.reason ?? null,
      hasLiveBooking: false,
      now,
      ...(booking ? { details: { bookingId: booking.id, start: booking.start.toISOString() } } : {}),
    });
    // The participant was told of a confirmed interview: they are told it is off, once.
    if (booking?.state === 'confirmed') {
      await queueBookingEmail(trx, deps.queue, { kind: 'cancellation', bookingId: booking.id });
    }
    return { participant: result.participant, bookingId: booking?.id };
  });
  if (bookingId) await deleteEventNow(deps, bookingId);
  return participant;
}

/** The interview the canceller saw is no longer the participant's live one (409 booking-changed). */
export class BookingChanged extends Conflict {
  constructor() {
    super(
      'This interview changed since the page was loaded (it was moved, cancelled or rebooked), so nothing was cancelled. Check the interview shown now.',
      'booking-changed',
    );
  }
}
