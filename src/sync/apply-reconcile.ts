import type { Knex } from 'knex';
import { findBooking, type Booking } from '../bookings/booking-repository';
import { scheduleEventDeletion } from '../bookings/delete-calendar-event';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { queueBookingEmail } from '../mail/booking-email-outbox';
import { changeStatus } from '../participants/change-status';
import { replanReminders } from '../reminders/plan-reminders';
import { findParticipantById, insertHistory, lastStatusSource } from '../participants/participant-repository';
import { isSlotConflict, writeBookingChanges } from './calendar-booking-repository';
import { recordHostResponses } from './record-host-responses';
import { recordObservations } from './record-observations';
import type { GoogleEventView } from './google-event-view';
import {
  reconcileBooking,
  type BookingChanges,
  type GoneEvent,
  type HistoryRow,
  type IgnoredBecause,
  type ReconcileOutcome,
} from './reconcile';
import type { SyncMetrics } from './sync-metrics';

export interface ApplyDeps {
  knex: Knex;
  logger: Logger;
  metrics: SyncMetrics;
  /** For the deletion of a declined interview's event (a durable job, as every deletion). */
  queue: JobQueue;
}

/** Who the history says made a calendar-driven change. */
export const CALENDAR_ACTOR = 'google calendar';

export type AppliedKind =
  'rescheduled' | 'organizer_changed' | 'canceled' | 'scheduled' | 'booking' | 'version';

/** What applying one event did to one booking, for logs and the nightly report. */
export interface AppliedEvent {
  bookingId: string;
  participantId: string;
  /** Empty when nothing but bookkeeping (or nothing at all) was written. */
  changes: AppliedKind[];
  ignoredBecause?: IgnoredBecause | 'slot taken';
  /** The event's Meet conference failed with this requestId: ask again (meet-renewal.ts). */
  meetRequestFailed?: { requestId: string; eventId: string };
}

/**
 * Applies the event as Google now has it to its booking, in one transaction (DESIGN 1.5): the
 * participant row is locked first, then the booking (the order every status change uses, so
 * two of them cannot deadlock), the reconciler decides on fresh rows, and the booking, the
 * status and the history rows are written together. Applying the same event again finds the
 * etag already recorded and writes nothing.
 */
export async function applyCalendarEvent(
  deps: ApplyDeps,
  bookingId: string,
  event: GoogleEventView | GoneEvent,
): Promise<AppliedEvent | undefined> {
  const applied = await deps.knex.transaction(async (trx) => {
    const unlocked = await findBooking(trx, bookingId);
    if (!unlocked) return undefined;
    const participant = await findParticipantById(trx, unlocked.participantId, { forUpdate: true });
    const booking = await findBooking(trx, bookingId, { forUpdate: true });
    if (!participant || !booking) return undefined;
    const outcome = reconcileBooking({
      booking,
      participant: {
        status: participant.status,
        email: participant.email,
        lastStatusSource: await lastStatusSource(trx, participant.id),
      },
      event,
    });
    const written = await writeOutcome(trx, deps.queue, booking, outcome);
    if (!('gone' in event) && observesEvent(written)) {
      await recordObservations(trx, booking, participant.email, event, outcome);
      // A collective interview's other hosts: their answers warn, they never cancel.
      if ((outcome.bookingChanges.state ?? booking.state) !== 'cancelled')
        await recordHostResponses(trx, booking, event);
    }
    return written;
  });
  if (applied) record(deps, applied);
  return applied;
}

async function writeOutcome(
  trx: Knex.Transaction,
  queue: JobQueue,
  booking: Booking,
  outcome: ReconcileOutcome,
): Promise<AppliedEvent> {
  const result: AppliedEvent = {
    bookingId: booking.id,
    participantId: booking.participantId,
    changes: [],
    ...(outcome.ignoredBecause ? { ignoredBecause: outcome.ignoredBecause } : {}),
  };
  if (!(await writeWithinSlot(trx, booking, outcome.bookingChanges))) {
    // The calendar put this interview where another live booking is (or, reviving it, the
    // participant booked again meanwhile). A revived booking keeps only the new version: the
    // slot went to someone else. A live booking's move is not written at all — not even its
    // version — so the nightly check tries again once the other booking has moved away.
    if (outcome.needsSlotReclaim)
      await writeBookingChanges(trx, booking, versionOnly(outcome.bookingChanges));
    return { ...result, changes: [], ignoredBecause: 'slot taken' };
  }
  const finalState = outcome.bookingChanges.state ?? booking.state;
  for (const row of outcome.historyRows) await writeHistoryRow(trx, booking, row, finalState !== 'cancelled');
  // A declined event stays "confirmed" at Google and would sit in the slot now offered to
  // others: it is deleted (sendUpdates=all), by a job written in this very transaction.
  if (outcome.deleteEvent) await scheduleEventDeletion(trx, queue, booking.id, 0);
  // A move in the calendar keeps the status: the reminders follow the new time here.
  await replanReminders(trx, booking.participantId, new Date());
  await queueCalendarEmail(trx, queue, booking, outcome, finalState);
  result.changes = kindsOf(outcome);
  return result;
}

/**
 * The participant hears of what the calendar did to their confirmed interview, in this
 * transaction: cancelled (by the researcher, or their own decline), moved while they are
 * still `scheduled`, or brought back after a cancellation. A repeated sync applies nothing new and so writes no second email.
 */
async function queueCalendarEmail(
  trx: Knex.Transaction,
  queue: JobQueue,
  booking: Booking,
  outcome: ReconcileOutcome,
  finalState: Booking['state'],
): Promise<void> {
  // Brought back by the calendar (event restored, participant put back on the guest list):
  // the participant, maybe told of the cancellation, hears the interview is on again.
  if (booking.state === 'cancelled' && finalState === 'confirmed') {
    await queueBookingEmail(trx, queue, { kind: 'confirmation', bookingId: booking.id, revived: true });
    return;
  }
  if (booking.state !== 'confirmed') return;
  if (finalState === 'cancelled') {
    if (outcome.statusChange?.to === 'canceled')
      await queueBookingEmail(trx, queue, { kind: 'cancellation', bookingId: booking.id });
    return;
  }
  const moved = outcome.historyRows.some((row) => row.kind === 'rescheduled' && row.to === 'scheduled');
  if (moved) {
    await queueBookingEmail(trx, queue, {
      kind: 'update',
      bookingId: booking.id,
      previous: { start: booking.start, end: booking.end },
    });
  }
}

/** In a savepoint, so a refused range leaves the transaction usable. */
async function writeWithinSlot(trx: Knex.Transaction, booking: Booking, changes: BookingChanges) {
  try {
    await trx.transaction((savepoint) => writeBookingChanges(savepoint, booking, changes));
    return true;
  } catch (error) {
    if (isSlotConflict(error)) return false;
    throw error;
  }
}

async function writeHistoryRow(
  trx: Knex.Transaction,
  booking: Booking,
  row: HistoryRow,
  hasLiveBooking: boolean,
): Promise<void> {
  if (row.kind === 'status') {
    // The one way a status changes: it re-checks the rule book on the locked row and writes
    // the history row beside the new status.
    await changeStatus(trx, {
      participantId: booking.participantId,
      to: row.to,
      source: row.source,
      actor: CALENDAR_ACTOR,
      reason: row.reason,
      details: { bookingId: booking.id },
      hasLiveBooking,
    });
    return;
  }
  await insertHistory(trx, booking.participantId, {
    kind: row.kind,
    from: row.to,
    to: row.to,
    source: row.source,
    actor: CALENDAR_ACTOR,
    reason: null,
    details: { bookingId: booking.id, ...row.details },
  });
}

/**
 * An event the reconciler applied, even if only in part (a researcher's verdict kept, an
 * acceptance after a cancel): what it says is recorded. One ignored whole (stale, repeated,
 * another event) or whose move was refused ('slot taken': it is applied again later) is not.
 */
function observesEvent(applied: AppliedEvent): boolean {
  const ignored = applied.ignoredBecause;
  return ignored === undefined || ignored === 'manual status kept' || ignored === 'accepted after cancel';
}

function versionOnly(changes: BookingChanges): BookingChanges {
  return {
    ...(changes.sequence !== undefined ? { sequence: changes.sequence } : {}),
    ...(changes.eventUpdatedAt !== undefined ? { eventUpdatedAt: changes.eventUpdatedAt } : {}),
    ...(changes.etag !== undefined ? { etag: changes.etag } : {}),
  };
}

function kindsOf(outcome: ReconcileOutcome): AppliedKind[] {
  const kinds: AppliedKind[] = [];
  if (outcome.historyRows.some((row) => row.kind === 'rescheduled')) kinds.push('rescheduled');
  if (outcome.historyRows.some((row) => row.kind === 'organizer_changed')) kinds.push('organizer_changed');
  if (outcome.statusChange?.to === 'canceled') kinds.push('canceled');
  if (outcome.statusChange?.to === 'scheduled') kinds.push('scheduled');
  // The booking followed the event although the status stayed (a researcher's no_show kept).
  if (kinds.length === 0 && outcome.bookingChanges.state !== undefined) kinds.push('booking');
  if (kinds.length === 0 && Object.keys(outcome.bookingChanges).length > 0) kinds.push('version');
  return kinds;
}

function record(deps: ApplyDeps, applied: AppliedEvent): void {
  for (const change of applied.changes) deps.metrics.bookingChanges.inc({ change });
  if (applied.ignoredBecause === 'slot taken') {
    deps.metrics.bookingChanges.inc({ change: 'slot_taken' });
    deps.logger.warn(
      { bookingId: applied.bookingId },
      'calendar event moved onto a time another booking holds; the booking keeps its time',
    );
  }
  if (applied.ignoredBecause === 'accepted after cancel') {
    deps.logger.info(
      { bookingId: applied.bookingId, participantId: applied.participantId },
      'participant accepted after cancelling or declining; the cancellation stands (they can book again from their link)',
    );
  }
  if (applied.changes.some((change) => change !== 'version')) {
    deps.logger.info(
      { bookingId: applied.bookingId, participantId: applied.participantId, changes: applied.changes },
      'booking updated from Google Calendar',
    );
  }
}
