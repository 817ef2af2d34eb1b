import { SYNC_CALENDAR } from '../jobs/names';
import type { JobQueue } from '../jobs/queue';
import { syncCalendar, type SyncDeps } from './sync-calendar';
import type { SyncPacing } from './sync-pacing';
import { ensureSyncQueue, type SyncCalendarJob } from './sync-queues';

export interface SyncWorkerDeps extends SyncDeps {
  queue: JobQueue;
  /** Told when each sync starts, so notifications meanwhile queue the next one paced. */
  syncPacing?: SyncPacing;
}

/**
 * The pg-boss worker behind the webhook: one job per calendar (coalesced), run by whichever
 * instance fetches it. It records the lag from the notification to the applied change.
 */
export async function registerSyncWorker(deps: SyncWorkerDeps, concurrency = 2): Promise<void> {
  await ensureSyncQueue(deps.queue);
  await deps.queue.work<SyncCalendarJob>(
    SYNC_CALENDAR,
    async (job) => {
      deps.syncPacing?.started(job.data.researcherId, Date.now());
      const result = await syncCalendar(deps, job.data.researcherId);
      if (job.data.notifiedAt) {
        const lagMs = Date.now() - Date.parse(job.data.notifiedAt);
        if (Number.isFinite(lagMs) && lagMs >= 0) deps.metrics.syncLagSeconds.observe(lagMs / 1000);
      }
      deps.logger.info(
        {
          researcherId: job.data.researcherId,
          kind: result.kind,
          changes: result.applied.filter((applied) => applied.changes.length > 0).length,
        },
        'calendar synced',
      );
    },
    { concurrency },
  );
}
