import type { Knex } from 'knex';
import type { Booking } from '../bookings/booking-repository';
import { findSeenEvent, insertActivities, saveSeenEvent } from '../participants/activity-repository';
import { observeEvent } from './event-observations';
import { toGoogleEventView, type GoogleEventView, type RawGoogleEvent } from './google-event-view';
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

/**
 * The event as the booking put it on the calendar: the baseline later changes are told from.
 * Written when the booking is confirmed, as the sync may never see this version itself (it
 * skips an event whose etag the booking already has).
 */
export async function rememberBookedEvent(
  trx: Knex.Transaction,
  bookingId: string,
  participantEmail: string,
  event: RawGoogleEvent,
): Promise<void> {
  if (typeof event.id !== 'string' || event.id === '') return;
  const { seen } = observeEvent({
    seen: null,
    event: toGoogleEventView(event),
    participantEmail,
    declineCancels: false,
  });
  if (seen) await saveSeenEvent(trx, bookingId, seen);
}
