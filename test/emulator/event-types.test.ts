import type { calendar_v3 } from 'googleapis';
import { admin, connect, failureOf, slot, startEmulator, type Harness } from './support';

let harness: Harness;
let calendar: calendar_v3.Calendar;
const OWNER = 'researcher@example.com';
const WINDOW = { timeMin: '2030-01-10T00:00:00Z', timeMax: '2030-01-11T00:00:00Z' };

beforeEach(async () => {
  harness = await startEmulator();
  ({ calendar } = await connect(harness.base, OWNER));
});
afterEach(() => harness.close());

/** One event of each type on 2030-01-10, added as the researcher would in Google Calendar. */
async function addOneOfEachType() {
  const add = async (body: Record<string, unknown>) => {
    const answer = await admin(harness.base, `/calendars/${OWNER}/events`, body);
    expect(answer.status).toBe(201);
    return answer.body!;
  };
  await add({ summary: 'Meeting', ...slot(9) });
  await add({ summary: 'Out of office', eventType: 'outOfOffice', ...slot(11) });
  await add({ summary: 'Focus', eventType: 'focusTime', ...slot(13) });
  await add({
    summary: 'Home',
    eventType: 'workingLocation',
    start: { date: '2030-01-10' },
    end: { date: '2030-01-11' },
  });
  await add({ summary: 'Ada’s birthday', eventType: 'birthday', start: { date: '2030-01-10' } });
}

const list = async (params: Partial<calendar_v3.Params$Resource$Events$List> = {}) =>
  (await calendar.events.list({ calendarId: 'primary', singleEvents: true, ...WINDOW, ...params })).data
    .items!;

describe('Event types', () => {
  test('When events.list is called without eventTypes, then every type comes back, each with its eventType', async () => {
    await addOneOfEachType();

    const items = await list();

    expect(items.map((event) => [event.summary, event.eventType]).sort()).toEqual(
      [
        ['Ada’s birthday', 'birthday'],
        ['Focus', 'focusTime'],
        ['Home', 'workingLocation'],
        ['Meeting', 'default'],
        ['Out of office', 'outOfOffice'],
      ].sort(),
    );
    const birthday = items.find((event) => event.eventType === 'birthday')!;
    expect(birthday).toMatchObject({
      transparency: 'transparent',
      visibility: 'private',
      start: { date: '2030-01-10' },
    });
    expect(birthday.recurringEventId).toBeDefined();
  });

  test('When eventTypes is repeated, then only events of those types come back', async () => {
    await addOneOfEachType();

    const items = await list({ eventTypes: ['default', 'outOfOffice', 'focusTime'] });

    expect(items.map((event) => event.eventType).sort()).toEqual(['default', 'focusTime', 'outOfOffice']);
  });

  test('When eventTypes names an unknown type, then the listing is refused with 400', async () => {
    const failure = await failureOf(list({ eventTypes: ['holiday'] }));
    expect(failure).toMatchObject({ status: 400, reason: 'invalid' });
  });

  test('When free/busy is asked, then out of office and focus time are busy, a working location and a birthday are not', async () => {
    await addOneOfEachType();

    const answer = await calendar.freebusy.query({ requestBody: { ...WINDOW, items: [{ id: 'primary' }] } });

    expect(answer.data.calendars!.primary!.busy).toEqual([
      { start: '2030-01-10T09:00:00Z', end: '2030-01-10T10:00:00Z' },
      { start: '2030-01-10T11:00:00Z', end: '2030-01-10T12:00:00Z' },
      { start: '2030-01-10T13:00:00Z', end: '2030-01-10T14:00:00Z' },
    ]);
  });

  test('When an event is inserted without a type, then it is a default event', async () => {
    const event = (await calendar.events.insert({ calendarId: 'primary', requestBody: { ...slot(9) } })).data;
    expect(event.eventType).toBe('default');
  });

  test.each([
    [
      'a birthday that is not all-day',
      {
        eventType: 'birthday',
        ...slot(9),
        visibility: 'private',
        transparency: 'transparent',
        recurrence: ['RRULE:FREQ=YEARLY'],
      },
    ],
    [
      'a birthday without yearly recurrence',
      {
        eventType: 'birthday',
        start: { date: '2030-01-10' },
        end: { date: '2030-01-11' },
        visibility: 'private',
        transparency: 'transparent',
      },
    ],
    [
      'a birthday that blocks time',
      {
        eventType: 'birthday',
        start: { date: '2030-01-10' },
        end: { date: '2030-01-11' },
        visibility: 'private',
        recurrence: ['RRULE:FREQ=YEARLY'],
      },
    ],
    ['an event from Gmail', { eventType: 'fromGmail', ...slot(9) }],
    ['an unknown type', { eventType: 'holiday', ...slot(9) }],
  ])('When events.insert is given %s, then it is refused with 400', async (_, body) => {
    const failure = await failureOf(calendar.events.insert({ calendarId: 'primary', requestBody: body }));
    expect(failure).toMatchObject({ status: 400, reason: 'invalid' });
  });

  test('When an event’s type is patched, then Google refuses: the type is fixed at creation', async () => {
    const event = (
      await calendar.events.insert({
        calendarId: 'primary',
        requestBody: { eventType: 'focusTime', ...slot(9) },
      })
    ).data;
    const failure = await failureOf(
      calendar.events.patch({
        calendarId: 'primary',
        eventId: event.id!,
        requestBody: { eventType: 'default' },
      }),
    );
    expect(failure).toMatchObject({ status: 400, reason: 'invalid' });
    const patched = await calendar.events.patch({
      calendarId: 'primary',
      eventId: event.id!,
      requestBody: { summary: 'Deep work' },
    });
    expect(patched.data).toMatchObject({ eventType: 'focusTime', summary: 'Deep work' });
  });
});
