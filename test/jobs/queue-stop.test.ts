import timers from 'node:timers/promises';
import pg from 'pg';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sleep, waitFor } from './wait';

/**
 * After `stop()` returns, nothing of the queue may run: jest tears the module registry
 * down after a test file, and a pg-boss loop waking up then fails the suite
 * ("Cannot destructure property 'setTimeout' of require(...)").
 */
describe('Stopping the job queue', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  afterEach(async () => {
    jest.restoreAllMocks();
    await queue.stop(); // a second stop does nothing; after a failed assertion it cleans up
  });

  /** Every timer made through node:timers/promises (what pg-boss waits with), and whether it ended. */
  function watchTimers() {
    const pending = new Set<Promise<unknown>>();
    const original = timers.setTimeout;
    jest.spyOn(timers, 'setTimeout').mockImplementation(((ms?: number, value?: unknown, options?: object) => {
      const timer = original(ms, value, options);
      pending.add(timer);
      const settle = () => pending.delete(timer);
      timer.then(settle, settle);
      return timer;
    }) as typeof timers.setTimeout);
    return pending;
  }

  /** The SQL every pg pool (pg-boss's included) sends from now on. */
  function watchQueries(): string[] {
    const sent: string[] = [];
    const original = pg.Pool.prototype.query;
    jest.spyOn(pg.Pool.prototype, 'query').mockImplementation(function (this: pg.Pool, ...args: unknown[]) {
      sent.push(String(args[0]).slice(0, 80));
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    return sent;
  }

  test('When stop() returns after waiting for a running job, then no timer of the queue is pending and no query follows', async () => {
    const pending = watchTimers();
    queue = createJobQueue({
      databaseUrl: db.url,
      logger: createLogger('silent'),
      pollingIntervalSeconds: 0.5,
      stopTimeoutMs: 10_000,
    });
    await queue.start();
    await queue.defineQueue('stop-test', {
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      expireInSeconds: 30,
    });
    let started = false;
    let finished = false;
    await queue.work(
      'stop-test',
      async () => {
        started = true;
        await sleep(1500);
        finished = true;
      },
      { concurrency: 3 },
    );
    await queue.send('stop-test', {});
    await waitFor(() => started, { what: 'the job to start' });

    await queue.stop();

    expect(finished).toBe(true);
    expect(pending.size).toBe(0);
    const after = watchQueries();
    await sleep(2500); // longer than every polling and stop-check interval of pg-boss
    expect(after).toEqual([]);
    expect(pending.size).toBe(0);
  });

  test('When stop() returns while idle workers were polling, then their connections are closed', async () => {
    queue = createJobQueue({
      databaseUrl: db.url,
      logger: createLogger('silent'),
      pollingIntervalSeconds: 0.5,
    });
    await queue.start();
    await queue.defineQueue('idle-test', {
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      expireInSeconds: 30,
    });
    await queue.work('idle-test', async () => {}, { concurrency: 4 });
    await sleep(1200);

    await queue.stop();

    const { rows } = await db.knex.raw(
      `select count(*)::int as n from pg_stat_activity where application_name = 'interview-scheduler-jobs' and datname = current_database()`,
    );
    expect(rows[0].n).toBe(0);
  });
});
