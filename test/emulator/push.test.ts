import type { calendar_v3 } from 'googleapis';
import {
  admin,
  connect,
  failureOf,
  sleep,
  slot,
  startEmulator,
  startReceiver,
  waitFor,
  type Harness,
} from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
  receiver = await startReceiver();
});
afterEach(async () => {
  await harness.close();
  await receiver.close();
});

const watch = async (id = 'channel-1', extra: Partial<calendar_v3.Schema$Channel> = {}) =>
  (
    await calendar.events.watch({
      calendarId: 'primary',
      requestBody: { id, type: 'web_hook', address: receiver.url, token: 'secret-token', ...extra },
    })
  ).data;

const insert = async (hour: number) =>
  (await calendar.events.insert({ calendarId: 'primary', requestBody: { summary: 'x', ...slot(hour) } }))
    .data;

const states = () => receiver.received.map((message) => message.headers['x-goog-resource-state']);
const numbers = () => receiver.received.map((message) => Number(message.headers['x-goog-message-number']));

describe('events.watch and push notifications', () => {
  test('When a calendar is watched, then the channel is described and a sync message with all X-Goog headers follows', async () => {
    const channel = await watch();
    expect(channel).toMatchObject({
      kind: 'api#channel',
      id: 'channel-1',
      resourceUri: `${harness.base}/calendar/v3/calendars/primary/events?alt=json`,
      token: 'secret-token',
    });
    expect(channel.resourceId).toBeTruthy();
    const expiration = Number(channel.expiration);
    expect(expiration - Date.now()).toBeGreaterThan(7 * 86400_000 - 60_000);
    expect(expiration - Date.now()).toBeLessThanOrEqual(7 * 86400_000);

    await waitFor(() => receiver.received.length === 1);
    const [sync] = receiver.received;
    expect(sync!.headers).toMatchObject({
      'x-goog-channel-id': 'channel-1',
      'x-goog-channel-token': 'secret-token',
      'x-goog-channel-expiration': new Date(expiration).toUTCString(),
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-uri': channel.resourceUri,
      'x-goog-resource-state': 'sync',
      'x-goog-message-number': '1',
    });
    expect(sync!.body).toBe('');
  });

  test('When the calendar changes, then each change sends an exists message with a growing number', async () => {
    await watch();
    const event = await insert(9);
    await calendar.events.patch({ calendarId: 'primary', eventId: event.id!, requestBody: { summary: 'y' } });
    await calendar.events.delete({ calendarId: 'primary', eventId: event.id! });
    await waitFor(() => receiver.received.length === 4);
    expect(states()).toEqual(['sync', 'exists', 'exists', 'exists']);
    expect(numbers()).toEqual([1, 2, 3, 4]);
  });

  test('When the receiver is slow, then the API call does not wait for the notification', async () => {
    await watch();
    await waitFor(() => receiver.received.length === 1);
    // Slow, yet well within the harness's 2 s push timeout (a timed-out push is sent again).
    receiver.answerAfter(1500);
    const started = Date.now();
    await insert(9);
    await insert(10);
    // Below one slow answer, which the first insert would take if it waited for its push.
    expect(Date.now() - started).toBeLessThan(1400);
    await waitFor(() => receiver.received.length === 3, 10_000);
  });

  test('When people change the calendar through the admin API, then watchers are notified the same way', async () => {
    await watch();
    const event = (
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: { ...slot(9), attendees: [{ email: 'pat@example.org' }] },
      })
    ).data;
    const base = `/calendars/${OWNER}/events/${event.id}`;
    await admin(harness.base, `${base}/move`, { start: '2030-01-10T12:00:00Z', end: '2030-01-10T13:00:00Z' });
    await admin(harness.base, `${base}/respond`, { email: 'pat@example.org', responseStatus: 'accepted' });
    await admin(harness.base, `${base}/cancel`);
    await admin(harness.base, `/calendars/${OWNER}/events`, { summary: 'Dentist', ...slot(15) });
    await waitFor(() => receiver.received.length === 6);
    expect(states()).toEqual(['sync', 'exists', 'exists', 'exists', 'exists', 'exists']);
  });

  test('When another calendar changes, then this channel stays silent', async () => {
    await watch();
    const other = await connect(harness.base, 'other@example.com');
    await other.calendar.events.insert({ calendarId: 'primary', requestBody: slot(9) });
    await harness.emulator.pushSettled();
    expect(states()).toEqual(['sync']);
  });

  test('When two channels watch one calendar, then each gets its own numbered messages', async () => {
    await watch('channel-a');
    await watch('channel-b');
    await insert(9);
    await waitFor(() => receiver.received.length === 4);
    const byChannel = (id: string) =>
      receiver.received
        .filter((message) => message.headers['x-goog-channel-id'] === id)
        .map((message) => message.headers['x-goog-message-number']);
    expect(byChannel('channel-a')).toEqual(['1', '2']);
    expect(byChannel('channel-b')).toEqual(['1', '2']);
  });

  test('When the receiver answers 500 and 503, then the same message is retried with backoff until it gets through', async () => {
    await watch();
    await waitFor(() => receiver.received.length === 1);
    receiver.respondWith(500, 503);
    await insert(9);
    await waitFor(() => receiver.received.length === 4);
    expect(numbers()).toEqual([1, 2, 2, 2]);
    await harness.emulator.pushSettled();
    const deliveries = harness.emulator.state.pushDeliveries.filter(
      (delivery) => delivery.messageNumber === 2,
    );
    expect(deliveries.map((delivery) => [delivery.outcome, delivery.attempt, delivery.status])).toEqual([
      ['retrying', 1, 500],
      ['retrying', 2, 503],
      ['delivered', 3, 200],
    ]);
    // Messages after the retried one still come in order.
    await insert(10);
    await waitFor(() => receiver.received.length === 5);
    expect(numbers()[4]).toBe(3);
  });

  test('When the receiver keeps failing, then the attempts stop at the cap', async () => {
    await watch();
    await waitFor(() => receiver.received.length === 1);
    receiver.respondWith(500, 500, 500, 500, 500, 500, 500);
    await insert(9);
    await harness.emulator.pushSettled();
    expect(numbers().filter((number) => number === 2)).toHaveLength(5);
    expect(harness.emulator.state.pushDeliveries.at(-1)).toMatchObject({
      outcome: 'failed',
      attempt: 5,
      status: 500,
    });
  });

  test('When the receiver answers 404, then the delivery counts as failed and is not retried', async () => {
    await watch();
    await waitFor(() => receiver.received.length === 1);
    receiver.respondWith(404);
    await insert(9);
    await harness.emulator.pushSettled();
    await sleep(100);
    expect(numbers()).toEqual([1, 2]);
    expect(harness.emulator.state.pushDeliveries.at(-1)).toMatchObject({
      outcome: 'failed',
      attempt: 1,
      status: 404,
    });
  });

  test('When nobody listens at the address, then the message is retried and finally given up', async () => {
    await receiver.close();
    await watch();
    await harness.emulator.pushSettled();
    const attempts = harness.emulator.state.pushDeliveries;
    expect(attempts).toHaveLength(5);
    expect(attempts.at(-1)).toMatchObject({ outcome: 'failed', attempt: 5, error: expect.any(String) });
  });

  test('When a channel is stopped, then no more messages come; stopping it again or an unknown one is 404', async () => {
    const channel = await watch();
    await waitFor(() => receiver.received.length === 1);
    const stop = await calendar.channels.stop({
      requestBody: { id: channel.id!, resourceId: channel.resourceId! },
    });
    expect(stop.status).toBe(204);
    await insert(9);
    await harness.emulator.pushSettled();
    await sleep(50);
    expect(states()).toEqual(['sync']);
    expect(
      await failureOf(
        calendar.channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } }),
      ),
    ).toMatchObject({ status: 404, reason: 'notFound' });
    expect(
      await failureOf(
        calendar.channels.stop({ requestBody: { id: 'unknown', resourceId: channel.resourceId! } }),
      ),
    ).toMatchObject({ status: 404 });
  });

  test('When the channel’s ttl has passed (emulator clock), then it stays silent', async () => {
    const channel = await watch('short', { params: { ttl: '60' } });
    const expiration = Number(channel.expiration);
    expect(expiration - Date.now()).toBeLessThanOrEqual(60_000);
    expect(expiration - Date.now()).toBeGreaterThan(50_000);
    await waitFor(() => receiver.received.length === 1);
    await admin(harness.base, '/clock', { advanceSeconds: 61 });
    await insert(9);
    await harness.emulator.pushSettled();
    await sleep(50);
    expect(states()).toEqual(['sync']);
  });

  test('When a ttl beyond 30 days is asked for, then the expiration is capped', async () => {
    const channel = await watch('long', { params: { ttl: String(90 * 86400) } });
    expect(Number(channel.expiration) - Date.now()).toBeLessThanOrEqual(30 * 86400_000);
    expect(Number(channel.expiration) - Date.now()).toBeGreaterThan(30 * 86400_000 - 60_000);
  });

  test('When the address is plain http outside loopback or the channel id is taken, then watch is refused', async () => {
    expect(await failureOf(watch('c1', { address: 'http://example.com/hook' }))).toMatchObject({
      status: 400,
      reason: 'push.webhookUrlNotHttps',
    });
    await watch('c2');
    expect(await failureOf(watch('c2'))).toMatchObject({ status: 400, reason: 'channelIdNotUnique' });
    expect(await failureOf(watch('c3', { type: 'email' }))).toMatchObject({ status: 400 });
  });
});

describe('Push without https, as Google refuses it', () => {
  test('When http on loopback is not allowed (as at Google), then watching a loopback http address answers 400 push.webhookUrlNotHttps', async () => {
    const strict = await startEmulator({ allowHttpPushOnLoopback: false });
    try {
      const { calendar: theirs } = await connect(strict.base, OWNER);
      const refused = await failureOf(
        theirs.events.watch({
          calendarId: 'primary',
          requestBody: { id: 'plain', type: 'web_hook', address: receiver.url },
        }),
      );
      expect(refused).toMatchObject({ status: 400, reason: 'push.webhookUrlNotHttps' });
      expect(JSON.stringify(refused.body)).toContain('WebHook callback must be HTTPS');
      expect(strict.emulator.state.channels).toEqual({});
    } finally {
      await strict.close();
    }
  });

  test('When the emulator is created without options, then it is as strict as Google', async () => {
    const strict = await startEmulator({ allowHttpPushOnLoopback: undefined });
    try {
      const { calendar: theirs } = await connect(strict.base, OWNER);
      for (const address of [receiver.url, 'http://localhost:9/hook', 'http://[::1]:9/hook']) {
        expect(
          await failureOf(
            theirs.events.watch({
              calendarId: 'primary',
              requestBody: { id: 'x', type: 'web_hook', address },
            }),
          ),
        ).toMatchObject({ status: 400, reason: 'push.webhookUrlNotHttps' });
      }
    } finally {
      await strict.close();
    }
  });
});

describe('Google stopping a channel on its own', () => {
  test('When Google stops a channel (admin API), then no notification follows and channels.stop no longer finds it', async () => {
    const channel = await watch();
    await waitFor(() => receiver.received.length === 1);
    const stopped = await admin(harness.base, `/channels/${channel.id}/stop`);
    expect(stopped).toMatchObject({ status: 200, body: { id: channel.id } });
    await insert(9);
    await harness.emulator.pushSettled();
    await sleep(50);
    expect(states()).toEqual(['sync']);
    const state = await admin(harness.base, '/state', undefined, 'GET');
    expect((state.body?.channels as Array<Record<string, unknown>>)[0]).toMatchObject({
      id: channel.id,
      active: false,
      stoppedBy: 'google',
    });
    expect(
      await failureOf(
        calendar.channels.stop({ requestBody: { id: channel.id!, resourceId: channel.resourceId! } }),
      ),
    ).toMatchObject({ status: 404, reason: 'notFound' });
  });

  test('When the channel is unknown or already stopped, then the admin stop answers 404', async () => {
    expect((await admin(harness.base, '/channels/nope/stop')).status).toBe(404);
    const channel = await watch();
    expect((await admin(harness.base, `/channels/${channel.id}/stop`)).status).toBe(200);
    expect((await admin(harness.base, `/channels/${channel.id}/stop`)).status).toBe(404);
  });
});

describe('Push to an https address', () => {
  test('When the address is https, then the emulator accepts it and posts there', async () => {
    const posted: string[] = [];
    const stubbed = await startEmulator({
      fetch: async (input) => {
        posted.push(String(input));
        return new Response(null, { status: 200 });
      },
    });
    try {
      const { calendar: theirs } = await connect(stubbed.base, OWNER);
      await theirs.events.watch({
        calendarId: 'primary',
        requestBody: {
          id: 'tls',
          type: 'web_hook',
          address: 'https://scheduler.example/webhooks/google/calendar',
        },
      });
      await stubbed.emulator.pushSettled();
      expect(posted).toEqual(['https://scheduler.example/webhooks/google/calendar']);
    } finally {
      await stubbed.close();
    }
  });
});
