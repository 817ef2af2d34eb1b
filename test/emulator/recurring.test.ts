import type { calendar_v3 } from 'googleapis';
import { admin, connect, failureOf, startEmulator, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';
// Mondays 15:00–16:00 in Berlin from 2030-03-18: five weeks, across the DST change of 31 March.
const WINDOW = { timeMin: '2030-03-01T00:00:00Z', timeMax: '2030-05-01T00:00:00Z' };
const WEEKLY = {
  summary: 'Team sync',
  start: { dateTime: '2030-03-18T15:00:00+01:00', timeZone: 'Europe/Berlin' },
  end: { dateTime: '2030-03-18T16:00:00+01:00', timeZone: 'Europe/Berlin' },
  recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5'],
};
// The instances' ids: the series id and each original start in UTC.
const SECOND = '20300325T140000Z';
const THIRD = '20300401T130000Z';

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const list = async (params: Partial<calendar_v3.Params$Resource$Events$List> = {}) =>
  (await calendar.events.list({ calendarId: 'primary', ...params })).data;

/** The weekly series through events.insert; the second Monday moved to Tuesday, the third cancelled. */
async function seriesWithExceptions(): Promise<string> {
  const series = (await calendar.events.insert({ calendarId: 'primary', requestBody: WEEKLY })).data;
  const moved = await admin(harness.base, `/calendars/${OWNER}/events/${series.id}_${SECOND}/move`, {
    start: '2030-03-26T10:00:00+01:00',
  });
  expect(moved.status).toBe(200);
  await calendar.events.delete({ calendarId: 'primary', eventId: `${series.id}_${THIRD}` });
  return series.id!;
}

describe('Recurring events', () => {
  test('When singleEvents=true, then the series comes as instances: the moved one at its new time, the cancelled one left out', async () => {
    const id = await seriesWithExceptions();

    const { items } = await list({ ...WINDOW, singleEvents: true, orderBy: 'startTime' });

    expect(
      items!.map((event) => [event.id, event.start!.dateTime, event.originalStartTime!.dateTime]),
    ).toEqual([
      [`${id}_20300318T140000Z`, '2030-03-18T15:00:00+01:00', '2030-03-18T15:00:00+01:00'],
      [`${id}_${SECOND}`, '2030-03-26T10:00:00+01:00', '2030-03-25T15:00:00+01:00'],
      [`${id}_20300408T130000Z`, '2030-04-08T15:00:00+02:00', '2030-04-08T15:00:00+02:00'],
      [`${id}_20300415T130000Z`, '2030-04-15T15:00:00+02:00', '2030-04-15T15:00:00+02:00'],
    ]);
    for (const instance of items!) {
      expect(instance).toMatchObject({ recurringEventId: id, status: 'confirmed', summary: 'Team sync' });
      expect(instance.recurrence).toBeUndefined();
    }
  });

  test('When singleEvents and showDeleted are both true, then the cancelled instance is there, cancelled', async () => {
    const id = await seriesWithExceptions();

    const { items } = await list({ ...WINDOW, singleEvents: true, showDeleted: true });

    expect(items).toHaveLength(5);
    expect(items!.find((event) => event.id === `${id}_${THIRD}`)).toMatchObject({
      status: 'cancelled',
      recurringEventId: id,
      originalStartTime: { dateTime: '2030-04-01T15:00:00+02:00' },
    });
  });

  test('When singleEvents is not set, then the series comes once, with its recurrence, and the exceptions beside it', async () => {
    const id = await seriesWithExceptions();

    const { items } = await list(WINDOW);

    expect(items!.map((event) => [event.id, event.status]).sort()).toEqual(
      [
        [id, 'confirmed'],
        [`${id}_${SECOND}`, 'confirmed'],
        [`${id}_${THIRD}`, 'cancelled'],
      ].sort(),
    );
    expect(items!.find((event) => event.id === id)!.recurrence).toEqual(WEEKLY.recurrence);
  });

  test('When free/busy is asked, then each instance is busy, the moved one at its new time, the cancelled one not', async () => {
    await seriesWithExceptions();

    const answer = await calendar.freebusy.query({ requestBody: { ...WINDOW, items: [{ id: 'primary' }] } });

    expect(answer.data.calendars!.primary!.busy).toEqual([
      { start: '2030-03-18T14:00:00Z', end: '2030-03-18T15:00:00Z' },
      { start: '2030-03-26T09:00:00Z', end: '2030-03-26T10:00:00Z' },
      { start: '2030-04-08T13:00:00Z', end: '2030-04-08T14:00:00Z' },
      { start: '2030-04-15T13:00:00Z', end: '2030-04-15T14:00:00Z' },
    ]);
  });

  test('When one instance changes after a sync, then the incremental sync (with singleEvents) brings only that instance', async () => {
    const id = await seriesWithExceptions();
    const { nextSyncToken } = await list({ singleEvents: true });
    const fourth = `${id}_20300408T130000Z`;

    await calendar.events.patch({
      calendarId: 'primary',
      eventId: fourth,
      requestBody: { summary: 'Team sync (short)' },
    });
    const single = await list({ syncToken: nextSyncToken!, singleEvents: true });
    const plain = await list({ syncToken: nextSyncToken! });

    expect(single.items!.map((event) => [event.id, event.recurringEventId, event.summary])).toEqual([
      [fourth, id, 'Team sync (short)'],
    ]);
    expect(plain.items!.map((event) => event.id)).toEqual([fourth]);
  });

  test('When the whole series and one instance change after a sync, then the incremental sync with singleEvents brings each instance once', async () => {
    const id = await seriesWithExceptions();
    const { nextSyncToken } = await list({ singleEvents: true });

    await calendar.events.patch({
      calendarId: 'primary',
      eventId: `${id}_20300415T130000Z`,
      requestBody: { summary: 'Last sync' },
    });
    await calendar.events.patch({ calendarId: 'primary', eventId: id, requestBody: { location: 'Room 2' } });
    const { items } = await list({ syncToken: nextSyncToken!, singleEvents: true });

    expect(items!.every((event) => event.recurringEventId === id)).toBe(true);
    const ids = items!.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(5);
    expect(items!.filter((event) => event.status !== 'cancelled').map((event) => event.location)).toEqual(
      expect.arrayContaining(['Room 2']),
    );
  });

  test('When a series is added and an instance cancelled through the admin API, then listings and instances agree', async () => {
    const created = await admin(harness.base, `/calendars/${OWNER}/events`, WEEKLY);
    expect(created.status).toBe(201);
    const id = String(created.body!.id);
    const cancelled = await admin(harness.base, `/calendars/${OWNER}/events/${id}_${THIRD}/cancel`, {});
    expect(cancelled.status).toBe(200);

    const instances = (await calendar.events.instances({ calendarId: 'primary', eventId: id })).data.items!;

    expect(instances.map((event) => event.id)).toEqual([
      `${id}_20300318T140000Z`,
      `${id}_${SECOND}`,
      `${id}_20300408T130000Z`,
      `${id}_20300415T130000Z`,
    ]);
    const fetched = (await calendar.events.get({ calendarId: 'primary', eventId: `${id}_${THIRD}` })).data;
    expect(fetched).toMatchObject({ status: 'cancelled', recurringEventId: id });
  });

  test('When the series is deleted, then every instance is gone from free/busy and listings, the moved one too', async () => {
    const id = await seriesWithExceptions();

    await calendar.events.delete({ calendarId: 'primary', eventId: id });

    const answer = await calendar.freebusy.query({ requestBody: { ...WINDOW, items: [{ id: 'primary' }] } });
    expect(answer.data.calendars!.primary!.busy).toEqual([]);
    expect((await list({ ...WINDOW, singleEvents: true })).items).toEqual([]);
    const withDeleted = await list({ ...WINDOW, singleEvents: true, showDeleted: true });
    expect(withDeleted.items!.map((event) => event.status)).toEqual(Array(5).fill('cancelled'));
  });

  test('When an instance id names no instance of the series, then it is 404', async () => {
    const series = (await calendar.events.insert({ calendarId: 'primary', requestBody: WEEKLY })).data;
    const failure = await failureOf(
      calendar.events.get({ calendarId: 'primary', eventId: `${series.id}_20300319T140000Z` }),
    );
    expect(failure).toMatchObject({ status: 404, reason: 'notFound' });
  });

  test.each([
    [
      'a timed series without a time zone',
      { ...WEEKLY, start: { dateTime: '2030-03-18T15:00:00+01:00' } },
      'required',
    ],
    ['a rule that is not RFC 5545', { ...WEEKLY, recurrence: ['RRULE:FREQ=SOMETIMES'] }, 'invalid'],
    ['a line that is not a recurrence', { ...WEEKLY, recurrence: ['every monday'] }, 'invalid'],
  ])('When events.insert is given %s, then it is refused with 400', async (_, body, reason) => {
    const failure = await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: body }));
    expect(failure).toMatchObject({ status: 400, reason });
  });
});
