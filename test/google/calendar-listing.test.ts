import nock from 'nock';
import type { EventsPage } from '../../src/google/calendar-client';
import { GoogleApiError } from '../../src/google/errors';
import {
  BASE,
  calendarErrorBody,
  connectedCalendar,
  EVENTS_PATH,
  thrownBy,
  tokenEndpointRefreshes,
} from './fake-google';

afterEach(() => nock.cleanAll());

describe('Listing events', () => {
  test('When a listing has three pages, then listAllEvents follows nextPageToken and returns the nextSyncToken of the last page', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .get(EVENTS_PATH)
      .query({ syncToken: 'sync-0' })
      .reply(200, { kind: 'calendar#events', items: [{ id: 'a1' }, { id: 'a2' }], nextPageToken: 'p2' })
      .get(EVENTS_PATH)
      .query({ syncToken: 'sync-0', pageToken: 'p2' })
      .reply(200, { kind: 'calendar#events', items: [{ id: 'b1' }], nextPageToken: 'p3' })
      .get(EVENTS_PATH)
      .query({ syncToken: 'sync-0', pageToken: 'p3' })
      .reply(200, {
        kind: 'calendar#events',
        items: [{ id: 'c1', status: 'cancelled' }],
        nextSyncToken: 'sync-1',
      });

    const pages: EventsPage[] = [];
    const listing = connectedCalendar().listAllEvents({ calendarId: 'primary', syncToken: 'sync-0' });
    let step = await listing.next();
    while (!step.done) {
      pages.push(step.value);
      step = await listing.next();
    }

    expect(google.isDone()).toBe(true);
    expect(pages.flatMap((page) => page.items.map((event) => event.id))).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(pages.map((page) => page.nextSyncToken)).toEqual([undefined, undefined, 'sync-1']);
    expect(step.value).toBe('sync-1');
  });

  test('When a page fails transiently and a retry policy is given, then only that page is fetched again', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .get(EVENTS_PATH)
      .query({ syncToken: 's' })
      .reply(200, { items: [{ id: 'a1' }], nextPageToken: 'p2' })
      .get(EVENTS_PATH)
      .query({ syncToken: 's', pageToken: 'p2' })
      .reply(503, calendarErrorBody(503, 'backendError', 'Backend Error'))
      .get(EVENTS_PATH)
      .query({ syncToken: 's', pageToken: 'p2' })
      .reply(200, { items: [{ id: 'b1' }], nextSyncToken: 's2' });
    const retry = { budgetMs: 1_000, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };

    const ids: string[] = [];
    for await (const page of connectedCalendar().listAllEvents(
      { calendarId: 'primary', syncToken: 's' },
      { retry },
    )) {
      ids.push(...page.items.map((event) => event.id ?? ''));
    }

    expect(google.isDone()).toBe(true);
    expect(ids).toEqual(['a1', 'b1']);
  });

  test('When listing a time window by booking property, then timeMin, timeMax and each property filter are sent', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .get(EVENTS_PATH)
      .query({
        timeMin: '2030-05-01T00:00:00.000Z',
        timeMax: '2030-06-01T00:00:00.000Z',
        privateExtendedProperty: ['bookingId=b1', 'app=scheduler'],
        singleEvents: 'true',
        showDeleted: 'true',
        maxResults: '2500',
      })
      .reply(200, { items: [{ id: 'e1' }], nextSyncToken: 'ignored-here' });

    const page = await connectedCalendar().listEventsPage({
      calendarId: 'primary',
      timeMin: new Date('2030-05-01T00:00:00Z'),
      timeMax: new Date('2030-06-01T00:00:00Z'),
      privateExtendedProperty: ['bookingId=b1', 'app=scheduler'],
      singleEvents: true,
      showDeleted: true,
      maxResults: 2500,
    });

    expect(google.isDone()).toBe(true);
    expect(page).toEqual({ items: [{ id: 'e1' }], nextSyncToken: 'ignored-here' });
  });

  test('When Google has expired the sync token, then listing fails as gone/fullSyncRequired', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .get(EVENTS_PATH)
      .query({ syncToken: 'stale' })
      .reply(
        410,
        calendarErrorBody(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.'),
      );

    const error = (await thrownBy(() =>
      connectedCalendar().listEventsPage({ calendarId: 'primary', syncToken: 'stale' }),
    )) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'gone', reason: 'fullSyncRequired' });
    expect(error.operation).toBe('calendar.events.list');
  });
});

describe('Free/busy and push channels', () => {
  test('When free/busy is asked for a window, then the busy intervals come back as Dates', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .post('/calendar/v3/freeBusy', {
        timeMin: '2030-05-06T00:00:00.000Z',
        timeMax: '2030-05-07T00:00:00.000Z',
        items: [{ id: 'primary' }],
      })
      .reply(200, {
        kind: 'calendar#freeBusy',
        timeMin: '2030-05-06T00:00:00.000Z',
        timeMax: '2030-05-07T00:00:00.000Z',
        calendars: { primary: { busy: [{ start: '2030-05-06T09:00:00Z', end: '2030-05-06T10:30:00Z' }] } },
      });

    const answer = await connectedCalendar().freeBusy(
      'primary',
      new Date('2030-05-06T00:00:00Z'),
      new Date('2030-05-07T00:00:00Z'),
    );

    expect(google.isDone()).toBe(true);
    expect(answer).toEqual({
      busy: [{ start: new Date('2030-05-06T09:00:00Z'), end: new Date('2030-05-06T10:30:00Z') }],
    });
  });

  test('When free/busy reports an error for the calendar, then it fails instead of claiming all free', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .post('/calendar/v3/freeBusy')
      .reply(200, {
        calendars: { primary: { busy: [], errors: [{ domain: 'global', reason: 'notFound' }] } },
      });

    const error = (await thrownBy(() =>
      connectedCalendar().freeBusy(
        'primary',
        new Date('2030-05-06T00:00:00Z'),
        new Date('2030-05-07T00:00:00Z'),
      ),
    )) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'notFound' });
  });

  test('When a calendar is watched, then a web_hook channel with a TTL is requested and its expiration is a Date', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .post(`${EVENTS_PATH}/watch`, {
        id: 'chan-1',
        token: 'secret-channel-token',
        address: 'https://scheduler.test/webhooks/google/calendar',
        type: 'web_hook',
        params: { ttl: '604800' },
      })
      .reply(200, {
        kind: 'api#channel',
        id: 'chan-1',
        resourceId: 'res-xyz',
        resourceUri: `${BASE}/calendar/v3/calendars/primary/events`,
        token: 'secret-channel-token',
        expiration: '1905062400000',
      });

    const channel = await connectedCalendar().watchEvents('primary', {
      id: 'chan-1',
      token: 'secret-channel-token',
      address: 'https://scheduler.test/webhooks/google/calendar',
      ttlSeconds: 604800,
    });

    expect(google.isDone()).toBe(true);
    expect(channel).toEqual({ resourceId: 'res-xyz', expiration: new Date(1905062400000) });
  });

  test('When a channel is stopped, then id and resourceId are sent and the answer is stopped', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE)
      .post('/calendar/v3/channels/stop', { id: 'chan-1', resourceId: 'res-xyz' })
      .reply(204);

    const outcome = await connectedCalendar().stopChannel('chan-1', 'res-xyz');

    expect(google.isDone()).toBe(true);
    expect(outcome).toBe('stopped');
  });

  test('When Google no longer knows the channel (404), then stopping it is harmless', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .post('/calendar/v3/channels/stop')
      .reply(404, calendarErrorBody(404, 'notFound', 'Channel not found'));

    const outcome = await connectedCalendar().stopChannel('chan-1', 'res-xyz');

    expect(outcome).toBe('unknownChannel');
  });
});
