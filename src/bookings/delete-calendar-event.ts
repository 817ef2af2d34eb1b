import type { Knex } from 'knex';
import type { GoogleAccess } from '../connections/google-access';
import { GoogleNotConnected } from '../connections/google-access';
import { GoogleApiError } from '../google';
import { DELETE_CALENDAR_EVENT } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { clearEventDeletePending, findBooking, markEventDeletePending } from './booking-repository';

export interface DeleteEventDeps {
  knex: Knex;
  access: GoogleAccess;
  queue: JobQueue;
  logger: Logger;
}

interface DeleteEventJob {
  bookingId: string;
}

/**
 * A cancelled booking's event must leave both calendars, with Google telling the
 * participant (`sendUpdates=all`). The job is written in the cancelling transaction, so a
 * crash or a Google outage right after the cancel cannot leave the event standing; the
 * caller also tries at once (`deleteEventNow`) so the usual case is immediate, and the
 * job then finds the event already deleted.
 */
export async function scheduleEventDeletion(
  trx: Knex.Transaction,
  queue: JobQueue,
  bookingId: string,
  delaySeconds = 30,
) {
  await queue.send<DeleteEventJob>(
    DELETE_CALENDAR_EVENT,
    { bookingId },
    { trx, startAfter: delaySeconds, singletonKey: bookingId },
  );
}

export async function deleteEventNow(deps: DeleteEventDeps, bookingId: string): Promise<'deleted' | 'later'> {
  try {
    await deleteEventOfCancelledBooking(deps, bookingId);
    return 'deleted';
  } catch (error) {
    deps.logger.warn({ err: error, bookingId }, 'event deletion failed; the queued job retries it');
    return 'later';
  }
}

export async function deleteEventOfCancelledBooking(deps: DeleteEventDeps, bookingId: string): Promise<void> {
  const booking = await findBooking(deps.knex, bookingId);
  // Only a booking that is (still) cancelled: one revived since then keeps its event.
  if (!booking || booking.state !== 'cancelled') return;
  try {
    await deps.access.withCalendar(booking.researcherId, (calendar) =>
      calendar.client.deleteEvent(booking.calendarId, booking.googleEventId, { sendUpdates: 'all' }),
    );
  } catch (error) {
    if (error instanceof GoogleNotConnected) {
      // Without a grant nothing may be deleted. The booking remembers it, so that reconnecting
      // deletes this event.
      await markEventDeletePending(deps.knex, bookingId);
      return;
    }
    // Never inserted (cancelled while still pending), deleted by hand in Google, or deleted
    // by an earlier attempt (410): done.
    if (!isAlreadyGone(error)) throw error;
  }
  await clearEventDeletePending(deps.knex, bookingId);
}

function isAlreadyGone(error: unknown): boolean {
  return (
    error instanceof GoogleApiError && (error.failure.kind === 'notFound' || error.failure.kind === 'gone')
  );
}

export async function registerDeleteEventWorker(deps: DeleteEventDeps): Promise<void> {
  await deps.queue.defineQueue(DELETE_CALENDAR_EVENT, {
    retryLimit: 10,
    retryDelaySeconds: 30,
    retryBackoff: true,
    expireInSeconds: 120,
  });
  await deps.queue.work<DeleteEventJob>(DELETE_CALENDAR_EVENT, (job) =>
    deleteEventOfCancelledBooking(deps, job.data.bookingId),
  );
}
