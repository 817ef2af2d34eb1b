import type { Knex } from 'knex';
import type { Booking } from '../bookings/booking-repository';
import { insertActivities } from '../participants/activity-repository';
import type { GoogleEventView } from './google-event-view';
import { listGuestHosts, saveHostAnswers } from './host-response-repository';
import { hostResponseActivity, observeHostResponses } from './host-responses';

/**
 * Records the other hosts' answers on a collective interview's event, in the transaction that
 * applies it (as recordObservations does for the participant): a host's decline or removal is
 * told in the timeline and kept for the console's warning; it never touches the booking or
 * the status. A booking with no other host reads one row and writes nothing.
 */
export async function recordHostResponses(
  trx: Knex.Transaction,
  booking: Booking,
  event: GoogleEventView,
): Promise<void> {
  const hosts = await listGuestHosts(trx, booking.id);
  if (hosts.length === 0) return;
  const { changes, answers } = observeHostResponses(event, hosts);
  await insertActivities(trx, booking.participantId, booking.id, changes.map(hostResponseActivity));
  await saveHostAnswers(trx, booking.id, answers);
}
