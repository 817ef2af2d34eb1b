import nock from 'nock';
import { GoogleApiError } from '../../src/google/errors';
import { eventIdForBooking } from '../../src/google/event-id';
import {
  ACCESS_TOKEN,
  BASE,
  calendarErrorBody,
  connectedCalendar,
  EVENTS_PATH,
  thrownBy,
  tokenEndpointRefreshes,
} from './fake-google';

afterEach(() => nock.cleanAll());

const BOOKING_ID = '6f1c2a4e-8d3b-4f6a-9c2e-1b7d5e9a3c40';

describe('Creating, changing and deleting events', () => {
  test('When an event is inserted, then the client id, conferenceDataVersion=1 and sendUpdates=all are sent', async () => {
    tokenEndpointRefreshes();
    const eventId = eventIdForBooking(BOOKING_ID);
    let sentBody: Record<string, unknown> | undefined;
    const google = nock(BASE, { reqheaders: { authorization: `Bearer ${ACCESS_TOKEN}` } })
      .post(EVENTS_PATH, (body: Record<string, unknown>) => {
        sentBody = body;
        return true;
      })
      .query({ conferenceDataVersion: '1', sendUpdates: 'all' })
      .reply(200, { id: eventId, status: 'confirmed', etag: '"3181161784712000"', sequence: 0 });

    const created = await connectedCalendar().insertEvent(
      'primary',
      {
        id: eventId,
        summary: 'Study interview',
        start: { dateTime: '2030-05-06T10:00:00+02:00' },
        end: { dateTime: '2030-05-06T10:45:00+02:00' },
        conferenceData: {
          createRequest: { requestId: BOOKING_ID, conferenceSolutionKey: { type: 'hangoutsMeet' } },
        },
        extendedProperties: { private: { bookingId: BOOKING_ID } },
      },
      { sendUpdates: 'all' },
    );

    expect(google.isDone()).toBe(true);
    expect(sentBody).toMatchObject({
      id: eventId,
      conferenceData: { createRequest: { requestId: BOOKING_ID } },
      extendedProperties: { private: { bookingId: BOOKING_ID } },
    });
    expect(created).toMatchObject({ id: eventId, etag: '"3181161784712000"' });
  });

  test('When the event id already exists, then insert fails as a conflict (the retry after a lost answer)', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .post(EVENTS_PATH)
      .query(true)
      .reply(409, calendarErrorBody(409, 'duplicate', 'The requested identifier already exists.'));

    const error = (await thrownBy(() =>
      connectedCalendar().insertEvent(
        'primary',
        { id: eventIdForBooking(BOOKING_ID) },
        { sendUpdates: 'all' },
      ),
    )) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'conflict' });
    expect(error.reason).toBe('duplicate');
    expect(error.operation).toBe('calendar.events.insert');
  });

  test('When an event is patched with an etag, then If-Match is sent, and a stale etag is preconditionFailed', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE, { reqheaders: { 'if-match': '"etag-1"' } })
      .patch(`${EVENTS_PATH}/evt1`, { summary: 'Renamed' })
      .query({ conferenceDataVersion: '1', sendUpdates: 'none' })
      .reply(412, calendarErrorBody(412, 'conditionNotMet', 'Precondition Failed'));

    const error = (await thrownBy(() =>
      connectedCalendar().patchEvent(
        'primary',
        'evt1',
        { summary: 'Renamed' },
        { sendUpdates: 'none', ifMatchEtag: '"etag-1"' },
      ),
    )) as GoogleApiError;

    expect(google.isDone()).toBe(true);
    expect(error.failure).toEqual({ kind: 'preconditionFailed' });
  });

  test('When an event is deleted, then sendUpdates is sent and the answer is deleted', async () => {
    tokenEndpointRefreshes();
    const google = nock(BASE).delete(`${EVENTS_PATH}/evt1`).query({ sendUpdates: 'all' }).reply(204);

    const outcome = await connectedCalendar().deleteEvent('primary', 'evt1', { sendUpdates: 'all' });

    expect(google.isDone()).toBe(true);
    expect(outcome).toBe('deleted');
  });

  test('When the event was already deleted (410 deleted), then delete answers alreadyDeleted', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .delete(`${EVENTS_PATH}/evt1`)
      .query(true)
      .reply(410, calendarErrorBody(410, 'deleted', 'Resource has been deleted'));

    const outcome = await connectedCalendar().deleteEvent('primary', 'evt1', { sendUpdates: 'all' });

    expect(outcome).toBe('alreadyDeleted');
  });

  test('When the event never existed (404), then delete fails as notFound', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .delete(`${EVENTS_PATH}/nope1`)
      .query(true)
      .reply(404, calendarErrorBody(404, 'notFound', 'Not Found'));

    const error = (await thrownBy(() =>
      connectedCalendar().deleteEvent('primary', 'nope1', { sendUpdates: 'all' }),
    )) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'notFound' });
  });
});

describe('Access tokens', () => {
  test('When Google stops accepting the access token (401), then the client refreshes once and the call succeeds', async () => {
    const refreshes = tokenEndpointRefreshes(1, 'ya29.first').post('/token').reply(200, {
      access_token: 'ya29.second',
      expires_in: 3599,
      token_type: 'Bearer',
    });
    nock(BASE, { reqheaders: { authorization: 'Bearer ya29.first' } })
      .get(`${EVENTS_PATH}/evt1`)
      .reply(401, calendarErrorBody(401, 'authError', 'Invalid Credentials'));
    nock(BASE, { reqheaders: { authorization: 'Bearer ya29.second' } })
      .get(`${EVENTS_PATH}/evt1`)
      .reply(200, { id: 'evt1' });

    const event = await connectedCalendar().getEvent('primary', 'evt1');

    expect(event).toEqual({ id: 'evt1' });
    expect(refreshes.isDone()).toBe(true);
  });

  test('When the refresh after a 401 answers invalid_grant, then the failure is revoked', async () => {
    tokenEndpointRefreshes();
    nock(BASE)
      .post('/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    nock(BASE)
      .get(`${EVENTS_PATH}/evt1`)
      .reply(401, calendarErrorBody(401, 'authError', 'Invalid Credentials'));

    const error = (await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'revoked' });
  });

  test('When two calls share a client and both meet a revoked grant, then both fail as revoked (not only the first to refresh)', async () => {
    tokenEndpointRefreshes();
    nock(BASE).get(`${EVENTS_PATH}/evt0`).reply(200, { id: 'evt0' });
    nock(BASE)
      .post('/token')
      .times(2)
      .reply(400, { error: 'invalid_grant', error_description: 'Token has been revoked.' });
    // The second call's 401 arrives after the first has dropped the token and failed to refresh.
    nock(BASE)
      .get(`${EVENTS_PATH}/evt1`)
      .reply(401, calendarErrorBody(401, 'authError', 'Invalid Credentials'));
    nock(BASE)
      .get(`${EVENTS_PATH}/evt2`)
      .delay(150)
      .reply(401, calendarErrorBody(401, 'authError', 'Invalid Credentials'));
    const calendar = connectedCalendar();
    await calendar.getEvent('primary', 'evt0');

    const [first, second] = (await Promise.all([
      thrownBy(() => calendar.getEvent('primary', 'evt1')),
      thrownBy(() => calendar.getEvent('primary', 'evt2')),
    ])) as GoogleApiError[];

    expect(first!.failure).toEqual({ kind: 'revoked' });
    expect(second!.failure).toEqual({ kind: 'revoked' });
  });

  test('When the access token is new and Google still answers 401, then the failure is unauthorized', async () => {
    tokenEndpointRefreshes(2);
    nock(BASE)
      .get(`${EVENTS_PATH}/evt1`)
      .times(2)
      .reply(401, calendarErrorBody(401, 'authError', 'Invalid Credentials'));

    const error = (await thrownBy(() => connectedCalendar().getEvent('primary', 'evt1'))) as GoogleApiError;

    expect(error.failure).toEqual({ kind: 'unauthorized' });
    expect(error.reason).toBe('authError');
  });
});
