import { randomUUID } from 'node:crypto';
import { NIGHTLY_RECONCILE } from '../../src/jobs/names';
import { enqueueNightly } from '../../src/nightly/nightly-worker';
import { sweepExpiredRows } from '../../src/operations/housekeeping';
import { sha256Hex } from '../../src/security/secrets';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { ALWAYS_OPEN, book, createStudy, invite, slotsFor } from '../bookings/support';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';

/**
 * A compressed soak: many bookings and cancellations, then many nights' reconciliations in
 * a row, through the real workers. Nothing may pile up: no queue left with work, no push
 * channel per night, and what only serves for a while (sessions, idempotency keys, rate
 * limit windows) is swept by the nightly run.
 */
describe('A long run, compressed', () => {
  let stack: Stack;
  let researcher: SignedIn;
  beforeAll(async () => {
    stack = await startStack({ bookingLimits: { perAddress: 100_000, perToken: 100_000 } });
    researcher = await signIn(stack, 'soak@lab.example', 'Soak Researcher');
  });
  afterAll(() => stack.close());

  const count = async (table: string) =>
    Number((await stack.knex(table).count<{ count: string }[]>('* as count'))[0]?.count);
  const liveJobs = async () =>
    Number(
      (
        await stack
          .knex('pgboss.job')
          .whereIn('state', ['created', 'retry', 'active'])
          .whereRaw('start_after <= now()')
          .count<{ count: string }[]>('* as count')
      )[0]?.count,
    );

  test('When 40 interviews are booked and cancelled and 150 nights are reconciled in a row, then no queue, channel list or temporary table grows with them', async () => {
    const study = await createStudy(stack, researcher, { ...ALWAYS_OPEN, title: 'Soak study' });
    const people = await invite(stack, researcher, study.id, 40, 'soak');
    const slots = await slotsFor(stack, people[0]!.token);
    for (const [index, person] of people.entries()) {
      const booked = await book(stack, person.token, slots[index * 2]!.start, {
        'idempotency-key': `soak-${randomUUID()}`,
      });
      expect(booked.status).toBe(201);
      const cancelled = await fetch(`${stack.url}/api/booking/${person.token}/cancel`, { method: 'POST' });
      expect(cancelled.status).toBe(200);
    }
    // A session that expired long ago, as months of sign-ins leave behind.
    await stack.knex('sessions').insert({
      id_hash: sha256Hex(`expired-${randomUUID()}`),
      researcher_id: researcher.researcherId,
      expires_at: new Date(Date.now() - 86_400_000),
    });
    expect(await count('idempotency_keys')).toBe(40);
    const channelsBefore = await count('calendar_channels');

    const metrics = syncMetricsFor(stack.features);
    const ran = async () =>
      (await metrics.nightlyRuns.get()).values.find((value) => value.labels.outcome === 'ran')?.value ?? 0;
    const firstNight = Date.UTC(2031, 0, 1, 3);
    // Nights queued back to back, as after an outage: the worker runs them one after another.
    for (let night = 0; night < 150; night += 1)
      await enqueueNightly(stack.queue, new Date(firstNight + night * 86_400_000));
    await eventually(async () => (await ran()) === 150, 180_000);
    await eventually(async () => (await liveJobs()) === 0, 10_000);
    expect(await ran()).toBe(150);
    // One channel kept alive (renewed when due), not one more per night.
    expect(await count('calendar_channels')).toBeLessThanOrEqual(channelsBefore + 1);
    const waiting = await stack
      .knex('pgboss.job')
      .where({ name: NIGHTLY_RECONCILE })
      .whereIn('state', ['created', 'retry']);
    expect(waiting).toEqual([]);
    // The nightly run swept the expired session; the day-old keys go with the next one.
    expect(await stack.knex('sessions').where('expires_at', '<=', new Date())).toEqual([]);
    const tomorrow = new Date(Date.now() + 25 * 3600_000);
    const swept = await sweepExpiredRows(stack.knex, tomorrow);
    expect(swept.idempotencyKeys).toBe(40);
    expect(await count('idempotency_keys')).toBe(0);
    expect(await count('rate_limit_counts')).toBe(0);
  }, 240_000);
});
