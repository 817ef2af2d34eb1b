import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import { pgTimeouts, type DatabaseTimeouts } from '../db/timeouts';
import type { Logger } from '../logger';
import { transactionExecutor } from './transaction-executor';

/** PostgreSQL's deadlock_detected: it ended one of the transactions to let the other go on. */
const DEADLOCK_DETECTED = '40P01';

/** How a queue retries and times out its jobs; stored with the queue in the database. */
export interface QueueOptions {
  /** How many times a failed job runs again (so `retryLimit + 1` attempts in all). */
  retryLimit: number;
  /** Seconds before a retry. With `retryBackoff` this doubles per retry, with jitter. */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** A job running longer than this fails (and is retried); keep it above the handler's own timeouts. */
  expireInSeconds: number;
  /** pg-boss queue policy; `standard` unless a later queue needs one of the singleton kinds. */
  policy?: 'standard' | 'short' | 'singleton' | 'stately';
}

export interface SendOptions {
  /** Write the job in this transaction: it exists only if the transaction commits. */
  trx?: Knex.Transaction;
  /** A label to find the job by (see `liveJobKeys`); with the singleton policies, also a lock. */
  singletonKey?: string;
  /** Not before this time, or this many seconds from now. */
  startAfter?: Date | number;
  /** Overrides the queue's retry limit for this one job. */
  retryLimit?: number;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 0 on the first run, 1 on the first retry, … */
  retryCount: number;
  retryLimit: number;
  /** True when a failure now will not be retried. */
  isLastAttempt: boolean;
}

export interface WorkOptions {
  /** Jobs of this queue this process runs at the same time (default 1). */
  concurrency?: number;
  /** How often an idle worker looks for new jobs (default: the queue's, 2 s). */
  pollingIntervalSeconds?: number;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface JobQueue {
  readonly schema: string;
  start(): Promise<void>;
  /** Stops fetching, waits up to the timeout for running jobs, fails (for retry) what is left. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Creates the queue or updates its options; call after `start()` and before sending to it. */
  defineQueue(name: string, options: QueueOptions): Promise<void>;
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  /**
   * Many jobs of one queue in one statement. With a singleton policy, a job whose key is
   * already waiting is dropped, as `send` would; ids are not reported.
   */
  sendMany<T extends object>(
    name: string,
    jobs: readonly { data: T; singletonKey?: string; startAfter?: Date }[],
    options?: Pick<SendOptions, 'trx'>,
  ): Promise<void>;
  work<T>(name: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>;
  /** Which of these singleton keys have a job still waiting, retrying or running. */
  liveJobKeys(name: string, keys: readonly string[], db: Knex | Knex.Transaction): Promise<Set<string>>;
}

export interface JobQueueOptions {
  databaseUrl: string;
  logger: Logger;
  /** The PostgreSQL schema pg-boss keeps its tables in. */
  schema?: string;
  /** Connections pg-boss may hold for fetching and completing jobs. */
  poolMax?: number;
  /** Default polling interval of workers. */
  pollingIntervalSeconds?: number;
  /** Default of `stop()`: how long running jobs get to finish. */
  stopTimeoutMs?: number;
  /** How long pg-boss's connections wait for the database (see DatabaseTimeouts). */
  timeouts?: DatabaseTimeouts;
}

/**
 * The one durable job queue of the service: a thin wrapper over pg-boss 10 so every queue
 * (emails, booking retries, calendar syncs) is declared, sent to and worked the same way,
 * and jobs can be enqueued inside our own knex transactions. Many service instances may
 * share one database; each job runs once at a time, anywhere.
 */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  const { databaseUrl, logger, schema = 'pgboss', poolMax = 4, stopTimeoutMs = 30_000 } = options;
  const log = logger.child({ component: 'jobs' });
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema,
    max: poolMax,
    application_name: 'interview-scheduler-jobs',
    // Cron scheduling is not used: the nightly job has its own trigger (DESIGN 1.6).
    schedule: false,
    // pg-boss hands its whole config to pg.Pool: a stalled database fails a fetch or a
    // completion after these timeouts, and the worker loop simply tries again later.
    ...(options.timeouts ? pgTimeouts(options.timeouts) : {}),
  });
  // pg-boss reports background failures (maintenance, fetch loops, pool) as events; an
  // EventEmitter 'error' with no listener would crash the process instead.
  // During shutdown, connections pg-boss is still letting go of are cut by the database
  // stopping after it; that is expected then and not worth an error line.
  let stopping = false;
  boss.on('error', (error) => {
    if (stopping) log.debug({ err: error }, 'job queue connection closed during shutdown');
    else log.error({ err: error }, 'job queue error');
  });

  const policies = new Map<string, NonNullable<QueueOptions['policy']>>();
  /** The queue declarations of this instance, one after another (see defineQueue). */
  let definitions: Promise<void> = Promise.resolve();
  // The worker loops are our own (pg-boss's `work()` keeps a loop polling its workers for up
  // to a second after `stop()` returns, which outlives a test file, see test/jobs/queue-stop).
  // `stop()` aborts their waits and awaits every loop, so nothing of the queue runs after it.
  const idle = new AbortController();
  const loops = new Set<Promise<void>>();
  const running = new Map<string, { name: string; id: string }>();

  return {
    schema,

    async start() {
      await boss.start();
      log.info({ schema }, 'job queue started');
    },

    async stop(stopOptions = {}) {
      if (stopping) return;
      stopping = true;
      idle.abort();
      const timeoutMs = stopOptions.timeoutMs ?? stopTimeoutMs;
      const giveUp = new AbortController();
      const allDone = Promise.all(loops).then(() => true);
      const timedOut = sleep(timeoutMs, false, { signal: giveUp.signal }).catch(() => false);
      const finished = await Promise.race([allDone, timedOut]);
      giveUp.abort();
      if (!finished) {
        // The jobs still running go back to the queue (for a retry, here or elsewhere); their
        // handlers cannot be cancelled, but what they answer later is no longer recorded.
        for (const { name, id } of running.values()) {
          await boss.fail(name, id, { message: 'the service stopped while the job ran' }).catch((error) => {
            log.warn({ err: error, queue: name, jobId: id }, 'could not hand a running job back');
          });
        }
        log.warn({ jobs: running.size, timeoutMs }, 'stopped without waiting for running jobs');
      }
      // No pg-boss workers exist, so its stop has nothing to wait for: it clears its
      // maintenance timers and closes its pool (waiting for queries in flight).
      await boss.stop({ graceful: false, close: true });
      log.info('job queue stopped');
    },

    defineQueue(name, queueOptions) {
      const policy = queueOptions.policy ?? 'standard';
      const settings = {
        name,
        policy,
        retryLimit: queueOptions.retryLimit,
        retryDelay: queueOptions.retryDelaySeconds,
        retryBackoff: queueOptions.retryBackoff,
        expireInSeconds: queueOptions.expireInSeconds,
      };
      // pg-boss creates a queue's partition without a lock of its own: two creations at once
      // (a notification declaring the sync and the channel queues together) each insert their
      // queue row, then wait for the other's to add a foreign key to it — a deadlock. So this
      // instance declares one queue at a time, and a deadlock with another instance's
      // declaration is tried again (creating is idempotent).
      const defined = definitions.then(async () => {
        for (let attempt = 1; ; attempt += 1) {
          try {
            // createQueue leaves an existing queue as it is, so the options are applied again:
            // a deployment that changes a retry setting takes effect without a migration.
            await boss.createQueue(name, settings);
            await boss.updateQueue(name, settings);
            break;
          } catch (error) {
            if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= 3) throw error;
          }
        }
        policies.set(name, policy);
      });
      definitions = defined.catch(() => {});
      return defined;
    },

    async send(name, data, sendOptions = {}) {
      const policy = policies.get(name);
      if (!policy) throw new Error(`job queue "${name}" is not defined; call defineQueue first`);
      const { trx, singletonKey, startAfter, retryLimit } = sendOptions;
      const id = await boss.send(name, data, {
        ...(trx ? { db: transactionExecutor(trx) } : {}),
        ...(singletonKey !== undefined ? { singletonKey } : {}),
        ...(startAfter !== undefined ? { startAfter } : {}),
        ...(retryLimit !== undefined ? { retryLimit } : {}),
      });
      // pg-boss answers null instead of failing when nothing was stored; on a standard queue
      // that means the job was lost, which must not pass silently.
      if (id === null && policy === 'standard') throw new Error(`job for queue "${name}" was not stored`);
      return id;
    },

    async sendMany(name, jobs, sendOptions = {}) {
      if (!policies.has(name)) throw new Error(`job queue "${name}" is not defined; call defineQueue first`);
      const db = sendOptions.trx ? { db: transactionExecutor(sendOptions.trx) } : {};
      // A few thousand rows per statement stay far below PostgreSQL's limits on one query.
      for (let start = 0; start < jobs.length; start += 1000) {
        const batch = jobs.slice(start, start + 1000).map(({ data, singletonKey, startAfter }) => ({
          name,
          data,
          ...(singletonKey !== undefined ? { singletonKey } : {}),
          // pg-boss reads an ISO instant ending in Z as a time, anything else as an interval.
          ...(startAfter !== undefined ? { startAfter: startAfter.toISOString() } : {}),
        }));
        await boss.insert(batch, db);
      }
    },

    async work<T>(name: string, handler: JobHandler<T>, workOptions: WorkOptions = {}) {
      if (stopping) throw new Error('the job queue is stopped');
      const concurrency = workOptions.concurrency ?? 1;
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new Error(`concurrency of queue "${name}" must be a whole number of at least 1`);
      }
      const pollingIntervalSeconds =
        workOptions.pollingIntervalSeconds ?? options.pollingIntervalSeconds ?? 2;
      const loop = workLoop(name, handler, concurrency, pollingIntervalSeconds * 1000);
      loops.add(loop);
      void loop.finally(() => loops.delete(loop));
      log.info({ queue: name, concurrency }, 'worker registered');
    },

    async liveJobKeys(name, keys, db) {
      if (keys.length === 0) return new Set();
      // job_state is an enum ordered created < retry < active < completed < cancelled < failed.
      const rows: { singleton_key: string }[] = await db
        .withSchema(schema)
        .from('job')
        .distinct('singleton_key')
        .where('name', name)
        .whereIn('singleton_key', [...keys])
        .where('state', '<', 'completed');
      return new Set(rows.map((row) => row.singleton_key));
    },
  };

  /**
   * Fetches and runs jobs of one queue, up to `concurrency` at once, until the queue stops.
   * One fetch takes as many jobs as there are free places (one query for a batch, not one
   * per job); each job is completed or failed alone. The loop sleeps only when a fetch came
   * back short — the queue is drained for now — and then only until the poll interval ends
   * or a running job frees a place; while jobs wait, a finished job makes room and the next
   * fetch follows at once.
   */
  async function workLoop<T>(
    name: string,
    handler: JobHandler<T>,
    concurrency: number,
    pollingMs: number,
  ): Promise<void> {
    const active = new Set<Promise<void>>();
    while (!stopping) {
      const room = concurrency - active.size;
      let jobs: PgBoss.JobWithMetadata<T>[] = [];
      try {
        jobs = await boss.fetch<T>(name, { batchSize: room, includeMetadata: true });
      } catch (error) {
        if (!stopping) log.error({ err: error, queue: name }, 'could not fetch jobs');
      }
      // Jobs fetched as the stop began still run: the stop waits for running jobs.
      for (const job of jobs) {
        const run: Promise<void> = runJob(name, job, handler).finally(() => active.delete(run));
        active.add(run);
      }
      if (stopping) break;
      const moreWaiting = jobs.length === room;
      if (moreWaiting && active.size < concurrency) continue;
      const waited = new AbortController();
      const idleWait = moreWaiting
        ? []
        : [
            sleep(pollingMs, undefined, { signal: AbortSignal.any([idle.signal, waited.signal]) }).catch(
              () => {},
            ),
          ];
      await Promise.race([...active, ...idleWait]);
      waited.abort(); // a job that finished first ends the wait; its timer goes with it
    }
    await Promise.all(active);
  }

  async function runJob<T>(name: string, job: PgBoss.JobWithMetadata<T>, handler: JobHandler<T>) {
    const started = Date.now();
    const context = { queue: name, jobId: job.id, retryCount: job.retryCount };
    const key = `${name}/${job.id}`;
    running.set(key, { name, id: job.id });
    try {
      await withinSeconds(
        handler({
          id: job.id,
          name: job.name,
          data: job.data,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
          isLastAttempt: job.retryCount >= job.retryLimit,
        }),
        job.expireInSeconds,
      );
      if (!running.delete(key)) return; // handed back by a stop that gave up waiting
      log.info({ ...context, ms: Date.now() - started }, 'job completed');
      await boss.complete(name, job.id).catch((error) => {
        log.error({ ...context, err: error }, 'could not record the job as completed');
      });
    } catch (error) {
      if (!running.delete(key)) return;
      const willRetry = job.retryCount < job.retryLimit;
      log.warn({ ...context, ms: Date.now() - started, err: error, willRetry }, 'job failed');
      await boss.fail(name, job.id, failureData(error)).catch((failError) => {
        log.error({ ...context, err: failError }, 'could not record the job as failed');
      });
    }
  }
}

/** As pg-boss does: a handler running past the job's expiry fails (and the job is retried). */
async function withinSeconds(work: Promise<void>, seconds: number): Promise<void> {
  const ms = Math.max(1, seconds) * 1000;
  const expiry = new AbortController();
  try {
    await Promise.race([
      work,
      sleep(ms, undefined, { signal: expiry.signal }).then(() => {
        throw new Error(`handler execution exceeded ${ms}ms`);
      }),
    ]);
  } finally {
    expiry.abort();
  }
}

function failureData(error: unknown): object {
  return error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { message: String(error) };
}
