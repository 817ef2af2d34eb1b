import type { calendar_v3 } from 'googleapis';
import {
  admin,
  calendarClient,
  connect,
  failureOf,
  oauthClient,
  slot,
  startEmulator,
  startReceiver,
  waitFor,
  type Harness,
} from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const insert = () => calendar.events.insert({ calendarId: 'primary', requestBody: slot(9) });

describe('Fault injection', () => {
  test('When a fault is armed for the next two inserts, then exactly those fail with Google’s error JSON', async () => {
    const armed = await admin(harness.base, '/faults', { status: 503, count: 2, operation: 'events.insert' });
    expect(armed.status).toBe(201);
    await calendar.events.list({ calendarId: 'primary' });
    for (let i = 0; i < 2; i++) {
      const failure = await failureOf(insert());
      expect(failure).toMatchObject({ status: 503, reason: 'backendError' });
      expect(failure.body).toMatchObject({
        error: { code: 503, errors: [{ domain: 'global', reason: 'backendError' }] },
      });
    }
    await expect(insert()).resolves.toMatchObject({ status: 200 });
  });

  test('When 429 or 403 rate limits are injected, then they come with reason rateLimitExceeded in usageLimits', async () => {
    await admin(harness.base, '/faults', { status: 429, count: 1 });
    const tooMany = await failureOf(calendar.events.list({ calendarId: 'primary' }));
    expect(tooMany.body).toMatchObject({
      error: {
        code: 429,
        errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }],
        status: 'RESOURCE_EXHAUSTED',
      },
    });
    await admin(harness.base, '/faults', {
      status: 403,
      reason: 'userRateLimitExceeded',
      count: 1,
      operation: 'events.insert',
    });
    expect(await failureOf(insert())).toMatchObject({ status: 403, reason: 'userRateLimitExceeded' });
  });

  test('When googleapis is left to retry a GET, then a one-off 503 is absorbed by its retry', async () => {
    const { auth } = await connect(harness.base, 'retrying@example.com');
    const retrying = calendarClient(harness.base, auth, true);
    await admin(harness.base, '/faults', { status: 503, count: 1, operation: 'events.list' });
    await expect(retrying.events.list({ calendarId: 'primary' })).resolves.toMatchObject({ status: 200 });
    expect((await admin(harness.base, '/faults', undefined, 'GET')).body).toEqual({
      rules: [],
      dropPush: false,
    });
  });

  test('When a fault has no count and no rate, then it lasts until the faults are reset', async () => {
    await admin(harness.base, '/faults', { status: 500, operation: 'events.get' });
    const get = () => calendar.events.get({ calendarId: 'primary', eventId: 'whatever1' });
    expect(await failureOf(get())).toMatchObject({ status: 500, reason: 'backendError' });
    expect(await failureOf(get())).toMatchObject({ status: 500 });
    expect((await admin(harness.base, '/faults', undefined, 'DELETE')).status).toBe(204);
    expect(await failureOf(get())).toMatchObject({ status: 404, reason: 'notFound' });
  });

  test('When a fault has a rate, then it hits the calls the random draw selects', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    const seeded = await startEmulator({ random: () => draws.shift() ?? 0.99 });
    try {
      const { calendar: theirs } = await connect(seeded.base, OWNER);
      await admin(seeded.base, '/faults', { status: 500, rate: 0.5, operation: 'events.list' });
      const outcomes: number[] = [];
      for (let i = 0; i < 5; i++) {
        outcomes.push(
          await theirs.events.list({ calendarId: 'primary' }).then(
            (response) => response.status,
            (error: { response: { status: number } }) => error.response.status,
          ),
        );
      }
      expect(outcomes).toEqual([500, 200, 500, 200, 200]);
    } finally {
      await seeded.close();
    }
  });

  test('When latency is injected, then the call is slower but succeeds', async () => {
    await admin(harness.base, '/faults', { latencyMs: 1500, count: 1, operation: 'events.list' });
    const started = Date.now();
    await expect(calendar.events.list({ calendarId: 'primary' })).resolves.toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
    // The fault was used up: the next call is not delayed (a busy machine still answers well within it).
    const again = Date.now();
    await calendar.events.list({ calendarId: 'primary' });
    expect(Date.now() - again).toBeLessThan(1490);
  });

  test('When the token endpoint is faulted, then refreshing fails with that status and then works again', async () => {
    const { tokens } = await connect(harness.base, 'token@example.com');
    // google-auth-library retries token POSTs on 5xx by itself, so the fault lasts until reset.
    await admin(harness.base, '/faults', { status: 500, operation: 'oauth.token' });
    const client = oauthClient(harness.base);
    client.setCredentials({ refresh_token: tokens.refresh_token! });
    expect(await failureOf(client.refreshAccessToken())).toMatchObject({
      status: 500,
      reason: 'internal_failure',
    });
    await admin(harness.base, '/faults', undefined, 'DELETE');
    await expect(client.refreshAccessToken()).resolves.toBeDefined();
    await admin(harness.base, '/faults', {
      status: 400,
      reason: 'invalid_grant',
      count: 1,
      operation: 'oauth.token',
    });
    expect(await failureOf(client.refreshAccessToken())).toMatchObject({
      status: 400,
      reason: 'invalid_grant',
    });
  });

  test('When push notifications are dropped, then the receiver hears nothing until the drop is used up or reset', async () => {
    const receiver = await startReceiver();
    try {
      await calendar.events.watch({
        calendarId: 'primary',
        requestBody: { id: 'drop', type: 'web_hook', address: receiver.url },
      });
      await waitFor(() => receiver.received.length === 1);
      await admin(harness.base, '/faults', { dropPush: 1 });
      await insert();
      await insert();
      await waitFor(() => receiver.received.length === 2);
      await harness.emulator.pushSettled();
      expect(receiver.received.map((message) => message.headers['x-goog-message-number'])).toEqual([
        '1',
        '3',
      ]);
      expect(
        harness.emulator.state.pushDeliveries.find((delivery) => delivery.messageNumber === 2),
      ).toMatchObject({
        outcome: 'dropped',
      });

      await admin(harness.base, '/faults', { dropPush: true });
      await insert();
      await harness.emulator.pushSettled();
      expect(receiver.received).toHaveLength(2);
      await admin(harness.base, '/faults', undefined, 'DELETE');
      await insert();
      await waitFor(() => receiver.received.length === 3);
    } finally {
      await receiver.close();
    }
  });

  test('When the fault body is malformed, then the admin API answers 400', async () => {
    expect((await admin(harness.base, '/faults', { status: 200 })).status).toBe(400);
    expect((await admin(harness.base, '/faults', { status: 500, bogus: true })).status).toBe(400);
  });
});
