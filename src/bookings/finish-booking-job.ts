import type { Knex } from 'knex';
import { FINISH_BOOKING } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import { findPendingBookingIds } from './booking-repository';
import { refusalWords } from './calendar-refusal';
import { finishBooking, releaseHeldSlot, type FinishDeps } from './finish-booking';

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

/**
 * One job attempt asks Google for a short while only: during an outage a worker would
 * otherwise sit out a request's whole 8 s budget per job, while the queue's own backoff
 * (below) is what waits for Google to come back.
 */
const JOB_ATTEMPT_RETRY = { budgetMs: 2_000, baseDelayMs: 250, maxDelayMs: 1_000 };

/** A researcher's waiting retries are brought forward at most this often per instance. */
const WAKE_INTERVAL_MS = 5_000;

/**
 * Finishes held bookings, `concurrency` at a time on this instance — the bound on how hard
 * a backlog hits Google (a 429 fails the attempt, which then backs off with the queue).
 */
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
  const jobDeps = { ...deps, retry: JOB_ATTEMPT_RETRY };
  const lastWake = new Map<string, number>();
  await deps.queue.work<FinishJob>(
    FINISH_BOOKING,
    async (job) => {
      const outcome = await finishBooking(jobDeps, job.data.bookingId);
      if (outcome.state === 'confirmed' && job.retryCount > 0) {
        await wakeWaitingRetries(outcome.booking.researcherId);
      }
      if (outcome.state !== 'pending') return;
      if (job.isLastAttempt) {
        // An insert whose answer was lost may have made the event after all: it is deleted.
        await releaseHeldSlot(deps, outcome.booking, {
          lastError: 'gave up: Google did not accept the event',
          history: `Not booked: Google Calendar did not accept the interview event in ${job.retryCount + 1} attempts over several hours (last: ${outcome.error.message}).`,
          participant: refusalWords(outcome.error).participant,
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

  /**
   * A retry just went through: Google takes this researcher's events again. Their other
   * held bookings would each wait out their own backoff (minutes, after a long outage), so
   * they are due now instead — the concurrency above still spaces them out.
   */
  async function wakeWaitingRetries(researcherId: string): Promise<void> {
    const now = Date.now();
    if (now - (lastWake.get(researcherId) ?? 0) < WAKE_INTERVAL_MS) return;
    lastWake.set(researcherId, now);
    const woken = await retryPendingBookingsNow(deps.knex, deps.queue.schema, researcherId);
    if (woken > 0) deps.logger.info({ researcherId, woken }, 'held bookings retried now that Google answers');
  }
}

/**
 * Brings the waiting jobs of a researcher's held bookings forward to now: retries waiting
 * out their backoff, and safety-net jobs still in their first delay for bookings held longer
 * than a request waits for Google (so no request is finishing them now). Only waiting jobs
 * are touched, never running ones: each is fetched and run exactly as if its time had come.
 */
export async function retryPendingBookingsNow(
  knex: Knex,
  schema: string,
  researcherId: string,
): Promise<number> {
  const result = await knex.raw(
    `UPDATE ??.job AS job
        SET start_after = now()
      WHERE job.name = ?
        AND job.state IN ('created', 'retry')
        AND job.start_after > now()
        AND job.data->>'bookingId' IN (
          SELECT id::text FROM bookings
           WHERE researcher_id = ? AND state = 'pending' AND created_at < now() - interval '10 seconds'
        )`,
    [schema, FINISH_BOOKING, researcherId],
  );
  return (result as { rowCount: number | null }).rowCount ?? 0;
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
