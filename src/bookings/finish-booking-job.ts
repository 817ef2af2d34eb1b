import type { Knex } from 'knex';
import { FINISH_BOOKING } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import { findPendingBookingIds, markBookingCancelled, recordInsertAttempt } from './booking-repository';
import { scheduleEventDeletion } from './delete-calendar-event';
import { finishBooking, type FinishDeps } from './finish-booking';

interface FinishJob {
  bookingId: string;
}

/** When the job runs unless the request finished the booking itself first. */
const SAFETY_NET_DELAY_SECONDS = 20;

/**
 * Written in the booking's own transaction: if the process dies between the commit and the
 * Google call, or Google is down longer than a request may wait, this job finishes the
 * booking — with the same event id, so never a second event.
 */
export async function scheduleFinishBooking(
  trx: Knex.Transaction,
  queue: JobQueue,
  bookingId: string,
): Promise<void> {
  await queue.send<FinishJob>(FINISH_BOOKING, { bookingId }, { trx, startAfter: SAFETY_NET_DELAY_SECONDS });
}

export async function registerFinishBookingWorker(
  deps: FinishDeps & { queue: JobQueue },
  concurrency = 2,
): Promise<void> {
  await deps.queue.defineQueue(FINISH_BOOKING, {
    // About 12 retries from 10 s doubling: Google gets hours to come back before the slot is given up.
    retryLimit: 12,
    retryDelaySeconds: 10,
    retryBackoff: true,
    expireInSeconds: 120,
  });
  await deps.queue.work<FinishJob>(
    FINISH_BOOKING,
    async (job) => {
      const outcome = await finishBooking(deps, job.data.bookingId);
      if (outcome.state !== 'pending') return;
      if (job.isLastAttempt) {
        await deps.knex.transaction(async (trx) => {
          await markBookingCancelled(trx, job.data.bookingId);
          await recordInsertAttempt(trx, job.data.bookingId, 'gave up: Google did not accept the event');
          // An insert whose answer was lost may have made the event after all.
          await scheduleEventDeletion(trx, deps.queue, job.data.bookingId, 0);
        });
        deps.logger.error(
          { bookingId: job.data.bookingId },
          'booking released after the last insert attempt',
        );
        return;
      }
      throw outcome.error;
    },
    { concurrency },
  );
}

/**
 * At start-up: bookings left pending by a process that died get a job right away, rather
 * than waiting for their delayed safety-net job (a duplicate job is harmless).
 */
export async function resumePendingBookings(
  knex: Knex,
  queue: JobQueue,
  olderThanMs = 5_000,
): Promise<number> {
  // Younger ones are most likely being finished by a request right now.
  const ids = await findPendingBookingIds(knex, new Date(Date.now() - olderThanMs));
  for (const bookingId of ids) await queue.send<FinishJob>(FINISH_BOOKING, { bookingId });
  return ids.length;
}
