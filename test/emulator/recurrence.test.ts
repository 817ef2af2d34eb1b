import { ApiError } from '../../src/emulator/errors';
import { checkRecurrence, expandSeries } from '../../src/emulator/recurrence';

const UNTIL_2031 = Date.UTC(2031, 0, 1);

const timed = (start: string, recurrence: string[], timeZone = 'Europe/Berlin') => ({
  start: { dateTime: start, timeZone },
  end: { dateTime: new Date(Date.parse(start) + 3600_000).toISOString(), timeZone },
  recurrence,
});

const startsOf = (series: Parameters<typeof expandSeries>[0], until = UNTIL_2031) =>
  expandSeries(series, 'UTC', until).map((occurrence) => occurrence.start.dateTime ?? occurrence.start.date);

describe('Recurrence expansion', () => {
  test('When a weekly series crosses the DST change, then it keeps its wall-clock time', () => {
    expect(startsOf(timed('2030-03-18T09:00:00+01:00', ['RRULE:FREQ=WEEKLY;COUNT=3']))).toEqual([
      '2030-03-18T09:00:00+01:00',
      '2030-03-25T09:00:00+01:00',
      '2030-04-01T09:00:00+02:00',
    ]);
  });

  test('When a rule names weekdays, an interval and an end date, then exactly those days come', () => {
    const series = timed('2030-01-07T10:00:00+01:00', [
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20300123',
    ]);
    expect(startsOf(series)).toEqual([
      '2030-01-07T10:00:00+01:00',
      '2030-01-09T10:00:00+01:00',
      '2030-01-21T10:00:00+01:00',
      '2030-01-23T10:00:00+01:00',
    ]);
  });

  test('When a monthly rule asks for the last Friday, then each month’s last Friday comes', () => {
    const series = timed('2030-01-25T10:00:00+01:00', ['RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=3']);
    expect(startsOf(series)).toEqual([
      '2030-01-25T10:00:00+01:00',
      '2030-02-22T10:00:00+01:00',
      '2030-03-29T10:00:00+01:00',
    ]);
  });

  test('When EXDATE names an instance, then it is left out, and COUNT still counted it', () => {
    const series = timed('2030-01-07T10:00:00+01:00', [
      'RRULE:FREQ=DAILY;COUNT=3',
      'EXDATE;TZID=Europe/Berlin:20300108T100000',
    ]);
    expect(startsOf(series)).toEqual(['2030-01-07T10:00:00+01:00', '2030-01-09T10:00:00+01:00']);
  });

  test('When a birthday falls on 29 February, then it comes on the last day of February each year', () => {
    const series = {
      start: { date: '2028-02-29' },
      end: { date: '2028-03-01' },
      recurrence: ['RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1'],
    };
    expect(startsOf(series, Date.UTC(2031, 0, 1))).toEqual(['2028-02-29', '2029-02-28', '2030-02-28']);
  });

  test('When a series has no end, then expansion stops at the bound asked for', () => {
    const series = timed('2030-01-07T10:00:00+01:00', ['RRULE:FREQ=DAILY']);
    expect(startsOf(series, Date.UTC(2030, 0, 10))).toHaveLength(3);
  });

  test.each([
    ['BYSETPOS, which the emulator does not expand', ['RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1']],
    ['COUNT and UNTIL together', ['RRULE:FREQ=DAILY;COUNT=2;UNTIL=20300101']],
    ['two RRULEs', ['RRULE:FREQ=DAILY', 'RRULE:FREQ=WEEKLY']],
    ['a weekday that does not exist', ['RRULE:FREQ=WEEKLY;BYDAY=XX']],
  ])('When the recurrence has %s, then it is refused with 400', (_, recurrence) => {
    expect(() => checkRecurrence(timed('2030-01-07T10:00:00+01:00', recurrence))).toThrow(ApiError);
  });
});
