import { randomUUID } from 'node:crypto';
import { syncMetricsFor } from '../../src/sync/sync-metrics';
import { signIn, startStack, type SignedIn, type Stack } from '../support/stack';
import { activeChannel, googleHeaders, notify, queuedJobs, type ChannelRow } from './webhook-support';

const SYNC = 'sync-calendar';
const REPLACE = 'replace-calendar-channel';

/**
 * DESIGN 1.4, the webhook alone: the job workers are off, so what a notification leaves
 * behind (a queued job, a recorded message number) stays visible.
 */
describe('POST /webhooks/google/calendar', () => {
  let stack: Stack;
  let researcher: SignedIn;
  let channel: ChannelRow;
  let messageNumber = 1000;
  beforeAll(async () => {
    stack = await startStack({ workers: false });
    researcher = await signIn(stack, 'linus@lab.example');
    await stack.emulator.pushSettled();
    channel = await activeChannel(stack, researcher.researcherId);
  });
  afterAll(() => stack.close());
  beforeEach(async () => {
    await stack.knex('pgboss.job').whereIn('name', [SYNC, REPLACE]).delete();
  });

  const next = () => String((messageNumber += 1));
  const recordedNumbers = async (channelId = channel.id): Promise<string[]> => {
    const rows: { message_number: string | number }[] = await stack
      .knex('calendar_channel_messages')
      .where({ channel_id: channelId })
      .orderBy('message_number');
    return rows.map((row) => String(row.message_number));
  };
  const counted = async (resourceState: string, outcome: string) => {
    const { values } = await syncMetricsFor(stack.features).notifications.get();
    return (
      values.find(
        (value) => value.labels.resource_state === resourceState && value.labels.outcome === outcome,
      )?.value ?? 0
    );
  };

  test('When Google reports a change on a known channel, then it is acknowledged with 200 and one sync job is queued', async () => {
    const before = await counted('exists', 'accepted');

    const answer = await notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': next() }));

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(1);
    expect(await recordedNumbers()).toContain(String(messageNumber));
    expect(await counted('exists', 'accepted')).toBe(before + 1);
  });

  test('When a burst of notifications arrives, then they coalesce into one waiting sync job', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': next() })),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(1);
  });

  test('When concurrent notifications arrive in any order, then each is accepted and none is called a duplicate', async () => {
    const numbers = Array.from({ length: 20 }, () => next()).reverse();
    const accepted = await counted('exists', 'accepted');
    const duplicates = await counted('exists', 'duplicate');

    const answers = await Promise.all(
      numbers.map((number) =>
        notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': number })),
      ),
    );

    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await counted('exists', 'accepted')).toBe(accepted + numbers.length);
    expect(await counted('exists', 'duplicate')).toBe(duplicates);
    expect(await recordedNumbers()).toEqual(expect.arrayContaining(numbers));
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(1);
  });

  test('When a message arrives after one with a higher number, then it is still acted on', async () => {
    const lower = next();
    const higher = next();
    await notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': higher }));
    await stack.knex('pgboss.job').where({ name: SYNC }).delete();

    const answer = await notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': lower }));

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(1);
  });

  test('When the sync message after watch arrives, then it is acknowledged and nothing else happens', async () => {
    const recorded = await recordedNumbers();

    const answer = await notify(
      stack,
      googleHeaders(stack, channel, { 'X-Goog-Resource-State': 'sync', 'X-Goog-Message-Number': '1' }),
    );

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(0);
    expect(await recordedNumbers()).toEqual(recorded);
  });

  test('When Google redelivers a message already received, then it is acknowledged without a new job', async () => {
    const number = next();
    await notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': number }));
    await stack.knex('pgboss.job').where({ name: SYNC }).delete();

    const answer = await notify(stack, googleHeaders(stack, channel, { 'X-Goog-Message-Number': number }));

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(0);
  });

  test('When the channel token is wrong, then the answer is 403 and nothing is recorded or queued', async () => {
    const recorded = await recordedNumbers();
    const before = await counted('exists', 'forged');

    const answer = await notify(
      stack,
      googleHeaders(stack, channel, { 'X-Goog-Channel-Token': 'guessed', 'X-Goog-Message-Number': next() }),
    );

    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(0);
    expect(await recordedNumbers()).toEqual(recorded);
    expect(await counted('exists', 'forged')).toBe(before + 1);
  });

  test('When the token is missing or the resource id is another one, then it counts as forged', async () => {
    const noToken = await notify(
      stack,
      googleHeaders(stack, channel, { 'X-Goog-Channel-Token': undefined, 'X-Goog-Message-Number': next() }),
    );
    const otherResource = await notify(
      stack,
      googleHeaders(stack, channel, {
        'X-Goog-Resource-ID': 'another-resource',
        'X-Goog-Message-Number': next(),
      }),
    );

    expect([noToken.status, otherResource.status]).toEqual([403, 403]);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(0);
  });

  test.each([
    ['an unknown channel id', () => randomUUID()],
    ['a channel id that is not ours at all', () => 'not-a-uuid'],
  ])('When the notification names %s, then the answer is 404 and nothing is queued', async (_, id) => {
    const answer = await notify(stack, googleHeaders(stack, channel, { 'X-Goog-Channel-ID': id() }));

    expect(answer.status).toBe(404);
    expect(await stack.knex('pgboss.job').whereIn('name', [SYNC, REPLACE])).toEqual([]);
  });

  test.each([
    ['no channel id', { 'X-Goog-Channel-ID': undefined }],
    ['an unknown resource state', { 'X-Goog-Resource-State': 'deleted' }],
    ['a message number that is not a number', { 'X-Goog-Message-Number': 'twelve' }],
  ])('When the headers have %s, then the answer is 400 naming the header', async (_, overrides) => {
    const before = await counted('invalid', 'invalid');

    const answer = await notify(stack, googleHeaders(stack, channel, overrides));

    expect(answer.status).toBe(400);
    const problem = (await answer.json()) as { errors: { location: string }[] };
    expect(problem.errors[0]?.location).toBe('headers');
    expect(await counted('invalid', 'invalid')).toBe(before + 1);
    expect(await stack.knex('pgboss.job').whereIn('name', [SYNC, REPLACE])).toEqual([]);
  });

  test('When the channel has expired, then the late notification is acknowledged and changes nothing', async () => {
    const other = await signIn(stack, 'expired@lab.example');
    await stack.emulator.pushSettled();
    const expiring = await activeChannel(stack, other.researcherId);
    await stack
      .knex('calendar_channels')
      .where({ id: expiring.id })
      .update({ expires_at: new Date(Date.now() - 1000) });

    const answer = await notify(stack, googleHeaders(stack, expiring, { 'X-Goog-Message-Number': next() }));

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, SYNC, other.researcherId)).toBe(0);
    expect(await recordedNumbers(expiring.id)).toEqual([]);
  });

  test('When the researcher has disconnected, then notifications on the old channel change nothing', async () => {
    const other = await signIn(stack, 'leaving@lab.example');
    await stack.emulator.pushSettled();
    const old = await activeChannel(stack, other.researcherId);
    await fetch(`${stack.url}/api/me/google`, { method: 'DELETE', headers: other.auth });

    const answer = await notify(stack, googleHeaders(stack, old, { 'X-Goog-Message-Number': next() }));

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, SYNC, other.researcherId)).toBe(0);
  });

  test('When Google reports the watched resource gone, then a channel replacement is queued, not a sync', async () => {
    const answer = await notify(
      stack,
      googleHeaders(stack, channel, {
        'X-Goog-Resource-State': 'not_exists',
        'X-Goog-Message-Number': next(),
      }),
    );

    expect(answer.status).toBe(200);
    expect(await queuedJobs(stack, REPLACE, researcher.researcherId)).toBe(1);
    expect(await queuedJobs(stack, SYNC, researcher.researcherId)).toBe(0);
  });

  test('When notifications are answered, then their acknowledgement time is measured', async () => {
    const { values } = await syncMetricsFor(stack.features).ackSeconds.get();
    const count = values.find((value) => value.metricName === 'calendar_notification_ack_seconds_count');
    expect(count?.value).toBeGreaterThan(5);
  });
});
