import type { Knex } from 'knex';
import type { Booking } from '../bookings/booking-repository';
import { findSeenEvent, insertActivities, saveSeenEvent } from '../participants/activity-repository';
import { observeEvent } from './event-observations';
import type { GoogleEventView } from './google-event-view';
import { REASONS, type ReconcileOutcome } from './reconcile';

/**
 * Records what the event says besides its effect on the booking and status (an RSVP, changed
 * details) in the transaction that applies it: so a change is recorded exactly when it is
 * applied, once — a repeated delivery is ignored as 'unchanged' before reaching here, and
 * a rolled-back apply records nothing.
 */
export async function recordObservations(
  trx: Knex.Transaction,
  booking: Booking,
  participantEmail: string,
  event: GoogleEventView,
  outcome: ReconcileOutcome,
): Promise<void> {
  const meetUrl = outcome.bookingChanges.meetUrl;
  const { observations, seen } = observeEvent({
    seen: await findSeenEvent(trx, booking.id),
    event,
    participantEmail,
    ...(meetUrl !== undefined ? { meet: { from: booking.meetUrl, to: meetUrl } } : {}),
    declineCancels:
      outcome.statusChange?.reason === REASONS.participantDeclined && outcome.statusChange.to === 'canceled',
  });
  await insertActivities(trx, booking.participantId, booking.id, observations);
  if (seen) await saveSeenEvent(trx, booking.id, seen);
}
