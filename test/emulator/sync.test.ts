import type { calendar_v3 } from 'googleapis';
import { admin, connect, failureOf, slot, startEmulator, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const insert = async (body: calendar_v3.Schema$Event) =>
  (await calendar.events.insert({ calendarId: 'primary', requestBody: body })).data;

/** All pages of a listing; returns the items and the final sync token. */
async function listAll(params: calendar_v3.Params$Resource$Events$List) {
  const items: calendar_v3.Schema$Event[] = [];
  let pageToken: string | undefined;
  for (;;) {
    const page = (
      await calendar.events.list({ calendarId: 'primary', ...params, ...(pageToken ? { pageToken } : {}) })
    ).data;
    items.push(...page.items!);
    if (!page.nextPageToken) return { items, syncToken: page.nextSyncToken! };
    pageToken = page.nextPageToken;
  }
}

describe('Incremental sync with sync tokens', () => {
  test('When a sync token is used, then only the events changed since come back', async () => {
    const untouched = await insert({ summary: 'untouched', ...slot(8) });
    const changed = await insert({ summary: 'changed', ...slot(9) });
    const { items, syncToken } = await listAll({});
    expect(items.map((item) => item.id)).toEqual([untouched.id, changed.id]);

    await calendar.events.patch({
      calendarId: 'primary',
      eventId: changed.id!,
      requestBody: { summary: 'changed!' },
    });
    const created = await insert({ summary: 'new', ...slot(10) });
    const delta = await listAll({ syncToken });
    expect(delta.items.map((item) => [item.id, item.summary])).toEqual([
      [changed.id, 'changed!'],
      [created.id, 'new'],
    ]);

    const nothing = await listAll({ syncToken: delta.syncToken });
    expect(nothing.items).toEqual([]);
    expect(nothing.syncToken).toBeTruthy();
  });

  test('When an event was deleted, then the incremental sync reports it cancelled even without showDeleted', async () => {
    const event = await insert({ ...slot(9), extendedProperties: { private: { bookingId: 'b1' } } });
    const { syncToken } = await listAll({});
    await calendar.events.delete({ calendarId: 'primary', eventId: event.id! });
    const delta = await listAll({ syncToken, showDeleted: false });
    expect(delta.items).toEqual([
      { kind: 'calendar#event', etag: expect.any(String), id: event.id, status: 'cancelled' },
    ]);
  });

  test('When changes are made through the admin API, then they show in the next sync', async () => {
    const event = await insert({ ...slot(9), attendees: [{ email: 'pat@example.org' }] });
    const { syncToken } = await listAll({});
    await admin(harness.base, `/calendars/${OWNER}/events/${event.id}/respond`, {
      email: 'pat@example.org',
      responseStatus: 'declined',
    });
    const delta = await listAll({ syncToken });
    expect(delta.items).toHaveLength(1);
    expect(delta.items[0]!.attendees![0]).toMatchObject({
      email: 'pat@example.org',
      responseStatus: 'declined',
    });
  });

  test('When an incremental result spans pages, then every page but the last has a page token and the changes are all there', async () => {
    const { syncToken } = await listAll({});
    const ids: string[] = [];
    for (let hour = 0; hour < 5; hour++) ids.push((await insert({ ...slot(hour) })).id!);
    const first = (await calendar.events.list({ calendarId: 'primary', syncToken, maxResults: 2 })).data;
    expect(first.nextPageToken).toBeTruthy();
    expect(first.nextSyncToken).toBeUndefined();
    const all = await listAll({ syncToken, maxResults: 2 });
    expect(all.items.map((item) => item.id)).toEqual(ids);
  });

  test('When a sync token is combined with a filter Google forbids, then the answer is 400', async () => {
    const { syncToken } = await listAll({});
    const forbidden: Array<Partial<calendar_v3.Params$Resource$Events$List>> = [
      { timeMin: '2030-01-01T00:00:00Z' },
      { timeMax: '2030-01-01T00:00:00Z' },
      { q: 'x' },
      { orderBy: 'updated' },
      { privateExtendedProperty: ['a=b'] },
      { sharedExtendedProperty: ['a=b'] },
      { updatedMin: '2030-01-01T00:00:00Z' },
      { iCalUID: 'x@google.com' },
    ];
    for (const params of forbidden) {
      expect(
        await failureOf(calendar.events.list({ calendarId: 'primary', syncToken, ...params })),
      ).toMatchObject({
        status: 400,
        reason: 'invalid',
      });
    }
    // showDeleted and singleEvents are allowed.
    await expect(
      calendar.events.list({ calendarId: 'primary', syncToken, showDeleted: true, singleEvents: true }),
    ).resolves.toBeDefined();
  });

  test('When sync tokens are invalidated, then an old token answers 410 fullSyncRequired and a full sync recovers', async () => {
    await insert({ ...slot(9) });
    const { syncToken } = await listAll({});
    expect((await admin(harness.base, '/sync-tokens/invalidate', { calendarId: OWNER })).status).toBe(200);
    const failure = await failureOf(calendar.events.list({ calendarId: 'primary', syncToken }));
    expect(failure).toMatchObject({ status: 410, reason: 'fullSyncRequired' });
    const recovered = await listAll({});
    await expect(
      calendar.events.list({ calendarId: 'primary', syncToken: recovered.syncToken }),
    ).resolves.toBeDefined();
  });

  test('When a sync token is garbage or from another calendar, then the answer is 410 fullSyncRequired', async () => {
    expect(
      await failureOf(calendar.events.list({ calendarId: 'primary', syncToken: 'not-a-token' })),
    ).toMatchObject({
      status: 410,
      reason: 'fullSyncRequired',
    });
    const other = await connect(harness.base, 'other@example.com');
    const theirs = (await other.calendar.events.list({ calendarId: 'primary' })).data.nextSyncToken!;
    expect(await failureOf(calendar.events.list({ calendarId: 'primary', syncToken: theirs }))).toMatchObject(
      {
        status: 410,
      },
    );
  });

  test('When the emulator is reset, then earlier sync tokens are stale', async () => {
    await insert({ ...slot(9) });
    const { syncToken } = await listAll({});
    await admin(harness.base, '/reset');
    const again = await connect(harness.base, OWNER);
    const failure = await failureOf(again.calendar.events.list({ calendarId: 'primary', syncToken }));
    expect(failure).toMatchObject({ status: 410, reason: 'fullSyncRequired' });
  });
});
