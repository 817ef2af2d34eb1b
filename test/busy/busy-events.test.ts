import nock from 'nock';
import { fetchBusyEvents } from '../../src/busy/busy-cache';
import { busyIntervals, toBusyEvent, type ConflictHandling } from '../../src/busy/busy-events';
import type { CalendarEvent } from '../../src/google';
import { BASE, connectedCalendar, EVENTS_PATH, tokenEndpointRefreshes } from '../google/fake-google';

afterEach(() => nock.cleanAll());

const at = (hour: number) => `2030-01-10T${String(hour).padStart(2, '0')}:00:00Z`;
const timed = (hour: number, fields: CalendarEvent = {}): CalendarEvent => ({
  id: `e${hour}`,
  status: 'confirmed',
  start: { dateTime: at(hour) },
  end: { dateTime: at(hour + 1) },
  ...fields,
});
const allDay = (fields: CalendarEvent): CalendarEvent => ({
  id: 'all-day',
  status: 'confirmed',
  start: { date: '2030-01-10' },
  end: { date: '2030-01-11' },
  ...fields,
});

/** The start hours (UTC) of what blocks slots, for a list of Google events. */
function blockedHours(events: CalendarEvent[], mode: ConflictHandling): number[] {
  const busy = events.flatMap((event) => toBusyEvent(event) ?? []);
  return busyIntervals(busy, mode, 'UTC').map((interval) => interval.start.getUTCHours());
}

describe('Busy time by event type', () => {
  test.each(['busy', 'strict', 'off'] as const)(
    'When the researcher is out of office, then the time is blocked with conflict handling %s',
    (mode) => {
      expect(blockedHours([timed(9, { eventType: 'outOfOffice' })], mode)).toEqual([9]);
      expect(blockedHours([allDay({ eventType: 'outOfOffice', transparency: 'transparent' })], mode)).toEqual(
        [0],
      );
    },
  );

  test.each(['busy', 'strict', 'off'] as const)(
    'When the calendar holds a working location and a birthday, then nothing is blocked with conflict handling %s',
    (mode) => {
      const events = [
        allDay({ eventType: 'workingLocation' }),
        timed(9, { eventType: 'workingLocation' }),
        allDay({ eventType: 'birthday', transparency: 'transparent', recurringEventId: 'bday' }),
      ];
      expect(blockedHours(events, mode)).toEqual([]);
    },
  );

  test('When the researcher has focus time, then it blocks like a meeting: in busy and strict, not with conflict handling off', () => {
    const events = [timed(9, { eventType: 'focusTime' })];
    expect([
      blockedHours(events, 'busy'),
      blockedHours(events, 'strict'),
      blockedHours(events, 'off'),
    ]).toEqual([[9], [9], []]);
  });

  test('When a recurring meeting is listed as instances, then each instance blocks, a moved one at its new time, a cancelled one not', () => {
    const instance = (hour: number, originalHour: number, fields: CalendarEvent = {}) =>
      timed(hour, {
        id: `series_20300110T${String(originalHour).padStart(2, '0')}0000Z`,
        recurringEventId: 'series',
        originalStartTime: { dateTime: at(originalHour) },
        ...fields,
      });
    const events = [instance(9, 9), instance(14, 11), instance(13, 13, { status: 'cancelled' })];
    expect(blockedHours(events, 'busy')).toEqual([9, 14]);
  });
});

describe('Asking Google for busy time', () => {
  test('When busy events are fetched, then Google is asked for single instances of the event types that block time only', async () => {
    tokenEndpointRefreshes();
    let asked: Record<string, unknown> = {};
    const google = nock(BASE)
      .get(EVENTS_PATH)
      .query((query) => {
        asked = query;
        return true;
      })
      .reply(200, {
        kind: 'calendar#events',
        items: [timed(9, { eventType: 'outOfOffice' })],
        nextSyncToken: 's',
      });
    const calendar = { researcherId: 'r1', calendarId: 'primary', client: connectedCalendar() };

    const events = await fetchBusyEvents(calendar, new Date(at(0)), new Date(at(23)));

    expect(google.isDone()).toBe(true);
    expect(asked).toMatchObject({ singleEvents: 'true' });
    expect([asked.eventTypes].flat().sort()).toEqual(['default', 'focusTime', 'fromGmail', 'outOfOffice']);
    expect(events).toEqual([expect.objectContaining({ start: at(9), outOfOffice: true })]);
  });
});
