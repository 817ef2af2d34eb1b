import { createJobQueue, type Job, type JobQueue, type QueueOptions } from '../../src/jobs/queue';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sleep, waitFor } from './wait';

const quickRetries: QueueOptions = {
  retryLimit: 2,
  retryDelaySeconds: 1,
  retryBackoff: true,
  expireInSeconds: 30,
};

describe('The durable job queue', () => {
  let db: TestDatabase;
  let queue: JobQueue;
  let queueNumber = 0;
  let name: string;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  beforeEach(async () => {
    queue = createJobQueue({
      databaseUrl: db.url,
      logger: createLogger('silent'),
      pollingIntervalSeconds: 0.5,
      stopTimeoutMs: 10_000,
    });
    await queue.start();
    queueNumber += 1;
    name = `test-queue-${queueNumber}`;
    await queue.defineQueue(name, quickRetries);
  });
  afterEach(() => queue.stop());

  test('When several queues are declared at once, then every one is created (no deadlock between their creations)', async () => {
    const names = Array.from({ length: 8 }, (_, index) => `${name}-together-${index}`);

    await Promise.all(names.map((each) => queue.defineQueue(each, quickRetries)));

    const created = (await db.knex('pgboss.queue').whereIn('name', names).pluck('name')) as string[];
    expect(created.sort()).toEqual([...names].sort());
    await Promise.all(names.map((each) => queue.send(each, { each })));
  });

  const jobStates = async (queueName: string) =>
    (
      await db.knex
        .withSchema('pgboss')
        .from('job')
        .where('name', queueName)
        .select<{ state: string }[]>('state')
    ).map((row) => row.state);

  test('When a job is sent in a transaction that commits, then it is invisible until the commit and then runs', async () => {
    const ran: Job<{ n: number }>[] = [];
    await queue.work<{ n: number }>(name, async (job) => {
      ran.push(job);
    });

    await db.knex.transaction(async (trx) => {
      await queue.send(name, { n: 1 }, { trx });
      // Another connection cannot see the job before the commit, so no worker can take it early.
      expect(await jobStates(name)).toEqual([]);
    });

    await waitFor(() => ran.length === 1, { what: 'the job to run' });
    expect(ran[0]).toMatchObject({ data: { n: 1 }, retryCount: 0, isLastAttempt: false });
    await waitFor(async () => (await jobStates(name)).includes('completed'), { what: 'completion' });
  });

  test('When the transaction that sent a job rolls back, then the job never exists and never runs', async () => {
    const ran: unknown[] = [];
    await queue.work(name, async (job) => {
      ran.push(job);
    });

    await expect(
      db.knex.transaction(async (trx) => {
        await queue.send(name, { n: 2 }, { trx });
        throw new Error('the use case failed after enqueueing');
      }),
    ).rejects.toThrow('the use case failed');

    await sleep(1500); // three polling rounds
    expect(ran).toEqual([]);
    expect(await jobStates(name)).toEqual([]);
  });

  test('When a handler throws, then the job runs again after a delay that grows with each retry', async () => {
    const attempts: { at: number; retryCount: number }[] = [];
    await queue.work(name, async (job) => {
      attempts.push({ at: Date.now(), retryCount: job.retryCount });
      if (job.retryCount < 2) throw new Error(`transient failure ${job.retryCount}`);
    });

    await queue.send(name, {});

    await waitFor(() => attempts.length === 3, { timeoutMs: 15_000, what: 'the third attempt' });
    expect(attempts.map((attempt) => attempt.retryCount)).toEqual([0, 1, 2]);
    const [first, second, third] = attempts.map((attempt) => attempt.at);
    // Backoff: the first retry waits 1–2 s, the second 2–4 s (retryDelay · 2^n, with jitter).
    expect(second! - first!).toBeGreaterThanOrEqual(950);
    expect(third! - second!).toBeGreaterThanOrEqual(1950);
    await waitFor(async () => (await jobStates(name)).includes('completed'), { what: 'completion' });
  }, 20_000);

  test('When the last allowed attempt fails, then the handler knew it was the last and the job ends failed', async () => {
    await queue.defineQueue(name, { ...quickRetries, retryLimit: 1, retryBackoff: false });
    const seen: boolean[] = [];
    await queue.work(name, async (job) => {
      seen.push(job.isLastAttempt);
      throw new Error('always fails');
    });

    await queue.send(name, {});

    await waitFor(async () => (await jobStates(name)).includes('failed'), { what: 'the job to fail' });
    expect(seen).toEqual([false, true]);
  });

  test('When stop() is called while a job runs, then it waits for the job to finish', async () => {
    let finished = false;
    let started = false;
    await queue.work(name, async () => {
      started = true;
      await sleep(1500);
      finished = true;
    });
    await queue.send(name, {});
    await waitFor(() => started, { what: 'the job to start' });

    await queue.stop();

    expect(finished).toBe(true);
    expect(await jobStates(name)).toEqual(['completed']);
  });

  test('When several jobs wait and concurrency is 3, then three run at the same time', async () => {
    let running = 0;
    let most = 0;
    let done = 0;
    await queue.work(
      name,
      async () => {
        running += 1;
        most = Math.max(most, running);
        await sleep(1000);
        running -= 1;
        done += 1;
      },
      { concurrency: 3 },
    );
    for (let index = 0; index < 6; index += 1) await queue.send(name, { index });

    await waitFor(() => done === 6, { what: 'all six jobs' });
    expect(most).toBe(3);
  });

  test('When a job waits under a singleton key, then it is live until it completes', async () => {
    await queue.send(name, {}, { singletonKey: 'outbox-1' });
    expect(await queue.liveJobKeys(name, ['outbox-1', 'outbox-2'], db.knex)).toEqual(new Set(['outbox-1']));

    await queue.work(name, async () => {});
    await waitFor(async () => (await jobStates(name)).includes('completed'), { what: 'completion' });
    expect(await queue.liveJobKeys(name, ['outbox-1'], db.knex)).toEqual(new Set());
  });

  test('When a job is sent to an undefined queue or in a finished transaction, then send fails loudly', async () => {
    await expect(queue.send('no-such-queue', {})).rejects.toThrow('is not defined');

    const trx = await db.knex.transaction();
    await trx.commit();
    await expect(queue.send(name, {}, { trx })).rejects.toThrow('already committed or rolled back');
  });
});
