import { Conflict, NotFound } from '../http/problem';
import type { DeleteEventDeps } from '../bookings/delete-calendar-event';
import { cancelParticipant } from './cancel-participant';
import { changeStatus } from './change-status';
import { findLiveBooking, findParticipant, type Participant } from './participant-repository';
import type { ParticipantStatus } from './status-rules';

/**
 * DESIGN 1.7: a researcher sets a status by hand. `canceled` with an interview booked is a
 * cancel (the event leaves the calendars too); `invited` with one booked is refused, as it
 * would leave an event nobody expects; everything else is the rule book's call.
 */
export async function setManualStatus(
  deps: DeleteEventDeps,
  researcherId: string,
  input: { participantId: string; status: ParticipantStatus; reason?: string | undefined; now?: Date },
): Promise<Participant> {
  if (input.status === 'canceled') {
    return cancelParticipant(deps, researcherId, {
      participantId: input.participantId,
      source: 'researcher',
      actor: researcherId,
      reason: input.reason ?? null,
      ...(input.now ? { now: input.now } : {}),
    });
  }
  return deps.knex.transaction(async (trx) => {
    const participant = await findParticipant(trx, researcherId, input.participantId, { forUpdate: true });
    if (!participant) throw new NotFound('No such participant.');
    const booking = await findLiveBooking(trx, participant.id);
    if (input.status === 'invited' && booking) {
      throw new Conflict(
        'This participant has an interview booked; cancel it or use re-invite.',
        'booking-live',
      );
    }
    const result = await changeStatus(trx, {
      participantId: participant.id,
      to: input.status,
      source: 'researcher',
      actor: researcherId,
      reason: input.reason ?? null,
      hasLiveBooking: booking !== undefined,
      ...(input.now ? { now: input.now } : {}),
    });
    return result.participant;
  });
}
