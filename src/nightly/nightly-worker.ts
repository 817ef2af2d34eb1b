import { NIGHTLY_RECONCILE } from '../jobs/names';
import type { JobQueue, QueueOptions } from '../jobs/queue';
import { sweepExpiredRows } from '../operations/housekeeping';
import { ensureQueue } from '../sync/sync-queues';
import { runNightly, summaryFields, type NightlyDeps } from './nightly-job';
import { nightlySlot, slotAlreadyRan, slotKey } from './nightly-slots';

export interface NightlyJob {
  slot: string;
}

export interface NightlyWorkerDeps extends NightlyDeps {
  queue: JobQueue;
}

/**
 * `stately`: per slot, one job waiting and one running at most, never two running. Every
 * instance's cron sends the job for the same slot; the first to run does the work and the
 * others, running after it, find the slot done and skip.
 */
const NIGHTLY_QUEUE: QueueOptions = {
  policy: 'stately',
  retryLimit: 2,
  retryDelaySeconds: 600,
  retryBackoff: false,
  expireInSeconds: 4 * 3600,
};

export const ensureNightlyQueue = (queue: JobQueue) => ensureQueue(queue, NIGHTLY_RECONCILE, NIGHTLY_QUEUE);

/** What the cron tick does on every instance: ask for the slot's run (node-cron only enqueues). */
export async function enqueueNightly(queue: JobQueue, scheduledAt: Date): Promise<boolean> {
  await ensureNightlyQueue(queue);
  const slot = nightlySlot(scheduledAt);
  return (
    (await queue.send<NightlyJob>(NIGHTLY_RECONCILE, { slot }, { singletonKey: slotKey(slot) })) !== null
  );
}

export async function registerNightlyWorker(deps: NightlyWorkerDeps): Promise<void> {
  await ensureNightlyQueue(deps.queue);
  await deps.queue.work<NightlyJob>(NIGHTLY_RECONCILE, async (job) => {
    const { slot } = job.data;
    if (await slotAlreadyRan(deps.knex, deps.queue.schema, slot, job.id)) {
      deps.metrics.nightlyRuns.inc({ outcome: 'skipped' });
      deps.logger.info({ slot }, 'nightly reconciliation already done for this slot');
      return;
    }
    try {
      const report = await runNightly(deps);
      if (report === 'busy') {
        deps.metrics.nightlyRuns.inc({ outcome: 'busy' });
        deps.logger.warn({ slot }, 'nightly reconciliation already running elsewhere; skipped');
        return;
      }
      deps.metrics.nightlyRuns.inc({ outcome: 'ran' });
      deps.logger.info({ slot, ...summaryFields(report) }, 'nightly reconciliation done');
      const swept = await sweepExpiredRows(deps.knex, new Date());
      deps.logger.info({ slot, swept }, 'expired sessions, idempotency keys and rate limit counts deleted');
    } catch (error) {
      deps.metrics.nightlyRuns.inc({ outcome: 'failed' });
      throw error;
    }
  });
}
