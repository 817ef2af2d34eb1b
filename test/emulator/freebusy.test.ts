import type { calendar_v3 } from 'googleapis';
import { admin, connect, failureOf, slot, startEmulator, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';
const WINDOW = { timeMin: '2030-01-10T08:00:00Z', timeMax: '2030-01-10T18:00:00Z' };

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

const insert = async (body: calendar_v3.Schema$Event) =>
  (await calendar.events.insert({ calendarId: 'primary', requestBody: body })).data;

const busyOf = async (id = 'primary', window = WINDOW) =>
  (await calendar.freebusy.query({ requestBody: { ...window, items: [{ id }] } })).data.calendars![id]!;

describe('freebusy.query', () => {
  test('When events block time, then they are busy; transparent, cancelled and declined ones are not', async () => {
    await insert({ summary: 'opaque', ...slot(9) });
    await insert({ summary: 'free', transparency: 'transparent', ...slot(11) });
    const cancelled = await insert({ summary: 'cancelled', ...slot(13) });
    await calendar.events.delete({ calendarId: 'primary', eventId: cancelled.id! });
    await insert({
      summary: 'declined',
      ...slot(15),
      attendees: [{ email: OWNER, responseStatus: 'declined' }, { email: 'boss@example.com' }],
    });
    const answer = await calendar.freebusy.query({ requestBody: { ...WINDOW, items: [{ id: 'primary' }] } });
    expect(answer.data).toEqual({
      kind: 'calendar#freeBusy',
      timeMin: '2030-01-10T08:00:00Z',
      timeMax: '2030-01-10T18:00:00Z',
      calendars: { primary: { busy: [{ start: '2030-01-10T09:00:00Z', end: '2030-01-10T10:00:00Z' }] } },
    });
  });

  test('When events overlap each other or the window’s edges, then busy time is merged and clipped', async () => {
    await insert({ ...slot(7, 90) });
    await insert({ ...slot(12, 60) });
    await insert({ start: { dateTime: '2030-01-10T12:30:00Z' }, end: { dateTime: '2030-01-10T14:00:00Z' } });
    await insert({ ...slot(17, 120) });
    expect((await busyOf()).busy).toEqual([
      { start: '2030-01-10T08:00:00Z', end: '2030-01-10T08:30:00Z' },
      { start: '2030-01-10T12:00:00Z', end: '2030-01-10T14:00:00Z' },
      { start: '2030-01-10T17:00:00Z', end: '2030-01-10T18:00:00Z' },
    ]);
  });

  test('When the calendar is asked for by email or with a time zone, then the answer uses that key and zone', async () => {
    await insert({ ...slot(9) });
    const answer = await calendar.freebusy.query({
      requestBody: { ...WINDOW, timeZone: 'Europe/Berlin', items: [{ id: OWNER }] },
    });
    expect(answer.data.calendars![OWNER]!.busy).toEqual([
      { start: '2030-01-10T10:00:00+01:00', end: '2030-01-10T11:00:00+01:00' },
    ]);
  });

  test('When a calendar is unknown or someone else’s, then it carries a notFound error instead of busy times', async () => {
    await admin(harness.base, '/users', { email: 'colleague@example.com' });
    const answer = await calendar.freebusy.query({
      requestBody: { ...WINDOW, items: [{ id: 'nobody@example.com' }, { id: 'colleague@example.com' }] },
    });
    for (const id of ['nobody@example.com', 'colleague@example.com']) {
      expect(answer.data.calendars![id]).toEqual({
        errors: [{ domain: 'global', reason: 'notFound' }],
        busy: [],
      });
    }
  });

  test('When a busy event is added through the admin API, then it is busy', async () => {
    await admin(harness.base, `/calendars/${OWNER}/events`, { summary: 'Dentist', ...slot(10) });
    expect((await busyOf()).busy).toEqual([{ start: '2030-01-10T10:00:00Z', end: '2030-01-10T11:00:00Z' }]);
  });

  test('When timeMin is missing or after timeMax, then the query is refused', async () => {
    expect(
      await failureOf(
        calendar.freebusy.query({ requestBody: { timeMax: WINDOW.timeMax, items: [{ id: 'primary' }] } }),
      ),
    ).toMatchObject({ status: 400, reason: 'required' });
    expect(
      await failureOf(
        calendar.freebusy.query({
          requestBody: { timeMin: WINDOW.timeMax, timeMax: WINDOW.timeMin, items: [{ id: 'primary' }] },
        }),
      ),
    ).toMatchObject({ status: 400, reason: 'timeRangeEmpty' });
  });
});
