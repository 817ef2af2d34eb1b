import cron, { type ScheduledTask } from 'node-cron';
import type { JobQueue } from '../jobs/queue';
import type { Logger } from '../logger';
import { enqueueNightly } from './nightly-worker';

export interface NightlySchedule {
  /** A cron expression (config.nightly.cron, NIGHTLY_CRON); `off` schedules nothing here. */
  cron: string;
  /** IANA zone the expression is read in (config.nightly.timeZone, NIGHTLY_TIME_ZONE). */
  timeZone: string;
}

/**
 * Every instance schedules the nightly run; each tick only enqueues the job for its slot, and
 * the job queue makes sure one instance does the work (see nightly-worker). An instance that
 * is down at 03:00 loses nothing as long as another one is up. The timer does not keep the
 * process alive; `stop()` ends it on shutdown.
 */
export function scheduleNightly(
  deps: { queue: JobQueue; logger: Logger },
  schedule: NightlySchedule,
): ScheduledTask | undefined {
  if (schedule.cron.trim().toLowerCase() === 'off') return undefined;
  if (!cron.validate(schedule.cron)) {
    throw new Error(`NIGHTLY_CRON is not a valid cron expression (got "${schedule.cron}")`);
  }
  const log = deps.logger.child({ component: 'nightly-cron' });
  return cron.schedule(
    schedule.cron,
    async (context) => {
      try {
        const queued = await enqueueNightly(deps.queue, context.date);
        log.info({ scheduledAt: context.date.toISOString(), queued }, 'nightly reconciliation requested');
      } catch (error) {
        log.error({ err: error }, 'could not queue the nightly reconciliation');
      }
    },
    {
      name: 'nightly-reconcile',
      timezone: schedule.timeZone,
      noOverlap: true,
      unref: true,
      logger: {
        info: (message) => log.info(message),
        warn: (message) => log.warn(message),
        error: (message, err) => log.error({ err: err ?? message }, String(message)),
        debug: (message) => log.debug(String(message)),
      },
    },
  );
}
