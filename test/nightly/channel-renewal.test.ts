import { runNightly, type NightlyDeps } from '../../src/nightly/nightly-job';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { eventually, signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { bookInterview, hoursFromNow } from '../sync/booked-interview';
import { asGoogleUser, eventPath, participantOf, waitForSyncsToFinish } from '../sync/calendar-support';
import { activeChannel, googleHeaders, notify } from '../webhooks/webhook-support';

const DAY_MS = 24 * 3600_000;

/** The channel lifecycle (DESIGN 1.6): renewed before it expires, re-created when gone. */
describe('Push channels are kept alive', () => {
  let stack: Stack;
  let researcher: SignedIn;
  let deps: NightlyDeps;
  beforeAll(async () => {
    stack = await startStack();
    researcher = await signIn(stack, 'edsger@lab.example', 'Edsger Dijkstra');
    await stack.emulator.pushSettled();
    const { knex, access, logger, channels, queue } = stack.features;
    deps = { knex, access, logger, channels, queue, metrics: syncMetricsFor(stack.features) };
  });
  afterAll(() => stack.close());

  const accepted = async () => {
    const { values } = await syncMetricsFor(stack.features).notifications.get();
    return values.find((value) => value.labels.outcome === 'accepted')?.value ?? 0;
  };

  test('When a channel expires within 48 hours, then the nightly run opens a new one first and stops the old one, and changes keep arriving', async () => {
    const old = await activeChannel(stack, researcher.researcherId);

    // Six days on, the week-long channel has a day left.
    const report = await runNightly(deps, { now: new Date(Date.now() + 6 * DAY_MS) });

    expect(report).toEqual(expect.objectContaining({ channelsRenewed: 1, channelsCreated: 0 }));
    const renewed = await activeChannel(stack, researcher.researcherId);
    expect(renewed.id).not.toBe(old.id);
    expect(renewed.expires_at.getTime()).toBeGreaterThan(Date.now() + 6 * DAY_MS);
    expect((await stack.knex('calendar_channels').where({ id: old.id }).first()).state).toBe('stopped');
    expect(stack.emulator.state.channels[old.id]?.stoppedAt).toBeDefined();
    expect(stack.emulator.state.channels[renewed.id]?.stoppedAt).toBeUndefined();

    const interview = await bookInterview(stack, researcher, { start: hoursFromNow(30) });
    await stack.emulator.pushSettled();
    await asGoogleUser(stack, eventPath(interview, 'cancel'));
    await eventually(async () => (await participantOf(stack, interview)).status === 'canceled', 5000);
    const deliveries = stack.emulator.state.pushDeliveries.filter(
      (delivery) => delivery.resourceState === 'exists',
    );
    expect(
      deliveries.some((delivery) => delivery.channelId === renewed.id && delivery.outcome === 'delivered'),
    ).toBe(true);
    expect(deliveries.filter((delivery) => delivery.channelId === old.id)).toEqual([]);
  });

  test('When a late notification arrives on the replaced channel before it expires, then it is still accepted', async () => {
    const stopped = await stack
      .knex('calendar_channels')
      .where({ researcher_id: researcher.researcherId, state: 'stopped' })
      .first();
    const before = await accepted();

    const answer = await notify(stack, googleHeaders(stack, stopped, { 'X-Goog-Message-Number': '5000' }));

    expect(answer.status).toBe(200);
    expect(await accepted()).toBe(before + 1);
    await waitForSyncsToFinish(stack);
  });

  test('When Google reports the watched calendar gone, then the channel is re-created', async () => {
    const gone = await activeChannel(stack, researcher.researcherId);

    const answer = await notify(
      stack,
      googleHeaders(stack, gone, { 'X-Goog-Resource-State': 'not_exists', 'X-Goog-Message-Number': '9000' }),
    );

    expect(answer.status).toBe(200);
    // The new channel opens first; the gone one is marked stopped right after.
    await eventually(
      async () => (await stack.knex('calendar_channels').where({ id: gone.id }).first()).state === 'stopped',
      5000,
    );
    const fresh = await activeChannel(stack, researcher.researcherId);
    expect(fresh.id).not.toBe(gone.id);
    expect(fresh.resource_id).not.toBeNull();
    expect(stack.emulator.state.channels[fresh.id]?.stoppedAt).toBeUndefined();
  });

  test.each([
    [500, 'backendError'],
    [429, 'rateLimitExceeded'],
  ])(
    'When Google answers %i while the nightly run renews a channel, then the old channel stays in use, the run reports it, and the next run renews it',
    async (status, reason) => {
      const current = await activeChannel(stack, researcher.researcherId);
      await asGoogleUser(stack, '/faults', { status, reason, operation: 'events.watch', count: 50 });

      const failed = await runNightly(deps, { now: new Date(Date.now() + 6 * DAY_MS) });

      await fetch(`${stack.emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
      expect(failed).toEqual(
        expect.objectContaining({
          channelsRenewed: 0,
          failures: [expect.objectContaining({ researcherId: researcher.researcherId, step: 'channel' })],
        }),
      );
      expect((await activeChannel(stack, researcher.researcherId)).id).toBe(current.id);
      expect(stack.emulator.state.channels[current.id]?.stoppedAt).toBeUndefined();

      const retried = await runNightly(deps, { now: new Date(Date.now() + 6 * DAY_MS) });

      expect(retried).toEqual(expect.objectContaining({ channelsRenewed: 1, failures: [] }));
      const renewed = await activeChannel(stack, researcher.researcherId);
      expect(renewed.id).not.toBe(current.id);
      expect(stack.emulator.state.channels[current.id]?.stoppedAt).toBeDefined();
    },
  );
});
