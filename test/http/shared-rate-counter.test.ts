import { createLogger } from '../../src/logger';
import { createSharedRateCounter, type RateCounter } from '../../src/http/shared-rate-counter';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The booking API's rate limits are counted in PostgreSQL, so that several instances
 * behind a load balancer enforce one limit together. Each counter here is one instance.
 */
describe('Rate limits shared by instances', () => {
  let db: TestDatabase;
  const logger = createLogger('silent');
  const WINDOW = 60_000;
  // One window for the whole file, from one reading of the clock: counts must not restart
  // because a test crossed a minute boundary (or two readings straddled a millisecond).
  const startedAt = Date.now();
  const windowStart = () => startedAt - (startedAt % WINDOW);
  // A long interval: the tests decide when an instance shares its counts.
  const instance = (): RateCounter =>
    createSharedRateCounter({ knex: db.knex, logger, flushIntervalMs: 60_000 });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function hits(counter: RateCounter, key: string, times: number): Promise<number[]> {
    const counts: number[] = [];
    for (let index = 0; index < times; index += 1)
      counts.push(await counter.hit('per link', key, windowStart(), WINDOW));
    return counts;
  }

  test('When one instance counted requests, then another instance continues from its total', async () => {
    const first = instance();
    const second = instance();

    expect(await hits(first, 'link-a', 3)).toEqual([1, 2, 3]);
    await first.flush();

    expect(await hits(second, 'link-a', 2)).toEqual([4, 5]);
  });

  test('When both instances count at once, then each learns the other’s requests when it shares its own', async () => {
    const first = instance();
    const second = instance();
    await hits(first, 'link-b', 2);
    await hits(second, 'link-b', 2);

    await first.flush();
    await second.flush();
    const secondNext = await hits(second, 'link-b', 1);
    await hits(first, 'link-b', 1);
    await first.flush();
    const firstNext = await hits(first, 'link-b', 1);

    // second: 2 of its own + 2 of first's, then this one; first: 3 of its own sent, 2 of second's
    // learnt at that flush (second's fifth request is not shared yet), then this one.
    expect(secondNext).toEqual([5]);
    expect(firstNext).toEqual([6]);
  });

  test('When many requests of a new key arrive at once, then each gets its own number', async () => {
    const counter = instance();

    const counts = await Promise.all(
      Array.from({ length: 8 }, () => counter.hit('per address', '203.0.113.9', windowStart(), WINDOW)),
    );

    expect([...counts].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('When a new window starts, then counting starts again', async () => {
    const counter = instance();
    const earlier = windowStart() - WINDOW;
    await counter.hit('per link', 'link-c', earlier, WINDOW);
    await counter.hit('per link', 'link-c', earlier, WINDOW);

    expect(await counter.hit('per link', 'link-c', windowStart(), WINDOW)).toBe(1);
  });

  test('When counts are stored, then the keys (booking links) are hashed, never stored as they are', async () => {
    const counter = instance();
    await hits(counter, 'secret-booking-token-123', 2);

    await counter.flush();

    const rows = await db.knex('rate_limit_counts').select('*');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('secret-booking-token-123');
    expect(rows.some((row: { count: number }) => row.count === 2)).toBe(true);
  });
});
