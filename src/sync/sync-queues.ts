import type { Knex } from 'knex';
import { REPLACE_CALENDAR_CHANNEL, SYNC_CALENDAR } from '../jobs/names';
import type { JobQueue, QueueOptions } from '../jobs/queue';
import type { SyncPacing } from './sync-pacing';

export interface SyncCalendarJob {
  researcherId: string;
  /** When the first notification this job stands for arrived (ISO); absent for other triggers. */
  notifiedAt?: string;
}

export interface ReplaceChannelJob {
  researcherId: string;
  /** The channel Google reported gone. */
  channelId: string;
}

/**
 * `short`: at most one job per calendar (singleton key = researcher id) waits in the queue;
 * sending another while one waits is a no-op. That is the coalescing Google's bursts need —
 * one change often brings several notifications, and one sync reads every change since the
 * token anyway. A notification arriving while a sync runs queues one more, so nothing that
 * happened after the running sync's listing is missed.
 *
 * `short` rather than `stately`: with pg-boss 10, a waiting job whose key is already running
 * blocks the fetch of every job behind it, so one slow calendar would stall all the others.
 * Two syncs of one calendar may then overlap; that is safe (applying an event is idempotent
 * under row locks, and the sync token is only moved forward from where a sync started).
 */
const SYNC_QUEUE: QueueOptions = {
  policy: 'short',
  retryLimit: 8,
  retryDelaySeconds: 10,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

const REPLACE_CHANNEL_QUEUE: QueueOptions = {
  policy: 'short',
  retryLimit: 10,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 120,
};

const defined = new WeakMap<JobQueue, Map<string, Promise<void>>>();

/**
 * Declares a queue once per JobQueue. The webhook may enqueue on an instance that runs no
 * workers (the queue must be declared on the instance that sends), so both sides call this.
 */
export function ensureQueue(queue: JobQueue, name: string, options: QueueOptions): Promise<void> {
  const byName = defined.get(queue) ?? new Map<string, Promise<void>>();
  defined.set(queue, byName);
  let done = byName.get(name);
  if (!done) {
    done = queue.defineQueue(name, options);
    // A failed declaration is tried again next time instead of being remembered.
    done.catch(() => byName.delete(name));
    byName.set(name, done);
  }
  return done;
}

export const ensureSyncQueue = (queue: JobQueue) => ensureQueue(queue, SYNC_CALENDAR, SYNC_QUEUE);
export const ensureReplaceChannelQueue = (queue: JobQueue) =>
  ensureQueue(queue, REPLACE_CALENDAR_CHANNEL, REPLACE_CHANNEL_QUEUE);

/** Queues a sync of the researcher's calendar; false when one was already waiting (coalesced). */
export async function enqueueCalendarSync(
  queue: JobQueue,
  job: SyncCalendarJob,
  options: { trx?: Knex.Transaction } = {},
): Promise<boolean> {
  await ensureSyncQueue(queue);
  const id = await queue.send<SyncCalendarJob>(SYNC_CALENDAR, job, {
    singletonKey: job.researcherId,
    ...(options.trx ? { trx: options.trx } : {}),
  });
  return id !== null;
}

/**
 * Queues syncs of many calendars in one statement (the webhook's batches), one job per
 * researcher at most; a calendar whose sync is already waiting is left as it is. `pacing`
 * says when each may start (see SyncPacing: at once unless the calendar was synced a moment ago).
 */
export async function enqueueCalendarSyncs(
  queue: JobQueue,
  jobs: readonly SyncCalendarJob[],
  pacing?: SyncPacing,
  now = Date.now(),
): Promise<void> {
  await ensureSyncQueue(queue);
  await queue.sendMany<SyncCalendarJob>(
    SYNC_CALENDAR,
    oneEach(jobs).map((job) => {
      const startAfter = pacing?.startAfter(job.researcherId, now);
      return { data: job, singletonKey: job.researcherId, ...(startAfter ? { startAfter } : {}) };
    }),
  );
}

export async function enqueueChannelReplacements(
  queue: JobQueue,
  jobs: readonly ReplaceChannelJob[],
): Promise<void> {
  await ensureReplaceChannelQueue(queue);
  await queue.sendMany<ReplaceChannelJob>(
    REPLACE_CALENDAR_CHANNEL,
    oneEach(jobs).map((job) => ({ data: job, singletonKey: job.researcherId })),
  );
}

/** The first job of each researcher: the singleton key would drop the others anyway. */
function oneEach<T extends { researcherId: string }>(jobs: readonly T[]): T[] {
  const byResearcher = new Map<string, T>();
  for (const job of jobs) if (!byResearcher.has(job.researcherId)) byResearcher.set(job.researcherId, job);
  return [...byResearcher.values()];
}

export async function enqueueChannelReplacement(
  queue: JobQueue,
  job: ReplaceChannelJob,
  options: { trx?: Knex.Transaction } = {},
): Promise<boolean> {
  await ensureReplaceChannelQueue(queue);
  const id = await queue.send<ReplaceChannelJob>(REPLACE_CALENDAR_CHANNEL, job, {
    singletonKey: job.researcherId,
    ...(options.trx ? { trx: options.trx } : {}),
  });
  return id !== null;
}
