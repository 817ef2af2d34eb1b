import type { calendar_v3 } from 'googleapis';
import { admin, connect, slot, startEmulator, startReceiver, waitFor, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator({ meetDelayMs: 50 });
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const meetRequest = (requestId: string) => ({
  conferenceData: { createRequest: { requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } } },
});

const insert = async (body: calendar_v3.Schema$Event) =>
  (await calendar.events.insert({ calendarId: 'primary', requestBody: body, conferenceDataVersion: 1 })).data;

const get = async (eventId: string) => (await calendar.events.get({ calendarId: 'primary', eventId })).data;

/** Polls events.get, as Google tells clients to, until the conference is no longer pending. */
async function settled(eventId: string): Promise<calendar_v3.Schema$Event> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const event = await get(eventId);
    if (event.conferenceData?.createRequest?.status?.statusCode !== 'pending') return event;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the conference stayed pending');
}

describe('Google Meet is created asynchronously', () => {
  test('When an insert asks for Meet, then the conference is pending without entry points, and a moment later it succeeds as a change of the event', async () => {
    const first = await calendar.events.list({ calendarId: 'primary' });
    const event = await insert({ ...slot(9), ...meetRequest('booking-1') });

    expect(event.conferenceData?.createRequest).toEqual({
      requestId: 'booking-1',
      conferenceSolutionKey: { type: 'hangoutsMeet' },
      status: { statusCode: 'pending' },
    });
    expect(event.conferenceData?.entryPoints).toBeUndefined();
    expect(event.conferenceData?.conferenceId).toBeUndefined();
    expect(event.hangoutLink).toBeUndefined();

    const done = await settled(event.id!);
    expect(done.conferenceData?.createRequest?.status?.statusCode).toBe('success');
    const video = done.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === 'video');
    expect(video?.uri).toBe(`https://meet.google.com/${done.conferenceData?.conferenceId}`);
    expect(done.hangoutLink).toBe(video?.uri);
    expect(done.etag).not.toBe(event.etag);
    expect(Date.parse(done.updated!)).toBeGreaterThanOrEqual(Date.parse(event.updated!));

    // The change is sync-visible: the token taken before the insert lists the settled event.
    const changes = await calendar.events.list({
      calendarId: 'primary',
      syncToken: first.data.nextSyncToken!,
    });
    expect(changes.data.items?.map((item) => [item.id, item.hangoutLink])).toEqual([[event.id, video?.uri]]);
  });

  test('When the conference succeeds, then watchers of the calendar are notified', async () => {
    const receiver = await startReceiver();
    try {
      await calendar.events.watch({
        calendarId: 'primary',
        requestBody: { id: 'meet-channel', type: 'web_hook', address: receiver.url },
      });
      await waitFor(() => receiver.received.length === 1);
      await insert({ ...slot(9), ...meetRequest('booking-2') });
      // One notification for the insert, one for the conference's outcome.
      await waitFor(() => receiver.received.length >= 3);
      expect(receiver.received.slice(1).map((note) => note.headers['x-goog-resource-state'])).toEqual([
        'exists',
        'exists',
      ]);
    } finally {
      await receiver.close();
    }
  });

  test('When Google cannot make the conference (fault conferences.create), then it ends as failure without entry points, and a new requestId asks again', async () => {
    await admin(harness.base, '/faults', { operation: 'conferences.create', status: 500, count: 1 });
    const event = await insert({ ...slot(9), ...meetRequest('booking-3') });

    const failed = await settled(event.id!);
    expect(failed.conferenceData?.createRequest?.status?.statusCode).toBe('failure');
    expect(failed.conferenceData?.entryPoints).toBeUndefined();
    expect(failed.hangoutLink).toBeUndefined();

    // The same requestId never makes a second attempt: the failure stands.
    const again = await calendar.events.patch({
      calendarId: 'primary',
      eventId: event.id!,
      conferenceDataVersion: 1,
      requestBody: meetRequest('booking-3'),
    });
    expect(again.data.conferenceData?.createRequest?.status?.statusCode).toBe('failure');

    const retried = await calendar.events.patch({
      calendarId: 'primary',
      eventId: event.id!,
      conferenceDataVersion: 1,
      requestBody: meetRequest('booking-3-retry-1'),
    });
    expect(retried.data.conferenceData?.createRequest?.status?.statusCode).toBe('pending');
    const done = await settled(event.id!);
    expect(done.conferenceData?.createRequest).toMatchObject({
      requestId: 'booking-3-retry-1',
      status: { statusCode: 'success' },
    });
    expect(done.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  });

  test('When a fault without an operation is armed, then it is left for the next API call, not spent on the conference', async () => {
    const event = await insert({ ...slot(9), ...meetRequest('booking-4') });
    await admin(harness.base, '/faults', { status: 503, count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await expect(get(event.id!)).rejects.toMatchObject({ status: 503 });
    expect((await settled(event.id!)).conferenceData?.createRequest?.status?.statusCode).toBe('success');
  });
});
