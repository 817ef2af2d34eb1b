import { fromZonedTime } from 'date-fns-tz';
import { localDateOf, offsetAt, resolveWallTime, wallMidnightOf } from '../../src/availability/local-time';

const wall = (text: string) => Date.parse(`${text}:00Z`); // a wall time is its clock reading as if UTC
const iso = (instant: number) => new Date(instant).toISOString();

describe('Resolving wall-clock times', () => {
  test.each([
    ['Europe/Berlin', '2025-06-02T09:00', '2025-06-02T07:00:00.000Z'],
    ['America/New_York', '2025-03-09T01:59', '2025-03-09T06:59:00.000Z'],
    ['America/New_York', '2025-03-09T03:00', '2025-03-09T07:00:00.000Z'],
    ['Asia/Kathmandu', '2025-06-02T09:00', '2025-06-02T03:15:00.000Z'],
    ['Pacific/Chatham', '2025-01-15T09:00', '2025-01-14T19:15:00.000Z'],
  ])(
    'When %s shows %s exactly once, then it is the instant %s, as date-fns-tz says too',
    (zone, time, expected) => {
      expect(resolveWallTime(zone, wall(time))).toEqual({ instant: Date.parse(expected), kind: 'exact' });
      expect(fromZonedTime(time, zone).toISOString()).toBe(expected);
    },
  );

  test.each([
    ['America/New_York', '2025-03-09T02:30', '2025-03-09T07:00:00.000Z'],
    ['Europe/London', '2025-03-30T01:15', '2025-03-30T01:00:00.000Z'],
    ['Australia/Lord_Howe', '2025-10-05T02:15', '2025-10-04T15:30:00.000Z'],
    ['America/Santiago', '2025-09-07T00:30', '2025-09-07T04:00:00.000Z'],
  ])(
    'When %s skips %s (spring forward), then it resolves to the moment the clocks jumped, %s',
    (zone, time, expected) => {
      expect(resolveWallTime(zone, wall(time))).toEqual({ instant: Date.parse(expected), kind: 'gap' });
    },
  );

  test.each([
    ['America/New_York', '2025-11-02T01:30', '2025-11-02T05:30:00.000Z'],
    ['Europe/London', '2025-10-26T01:30', '2025-10-26T00:30:00.000Z'],
    ['Australia/Lord_Howe', '2026-04-05T01:45', '2026-04-04T14:45:00.000Z'],
  ])(
    'When %s shows %s twice (fall back), then it resolves to the first occurrence, %s',
    (zone, time, expected) => {
      expect(resolveWallTime(zone, wall(time))).toEqual({ instant: Date.parse(expected), kind: 'ambiguous' });
    },
  );

  test('When the offset has a 45-minute part, then it is exact to the minute', () => {
    expect(offsetAt('Asia/Kathmandu', Date.parse('2025-06-02T00:00:00Z'))).toBe((5 * 60 + 45) * 60_000);
    expect(offsetAt('Pacific/Chatham', Date.parse('2025-01-15T00:00:00Z'))).toBe((13 * 60 + 45) * 60_000);
  });

  test('When an instant is late evening in UTC, then its local date in Auckland is the next day', () => {
    expect(localDateOf('Pacific/Auckland', Date.parse('2025-06-02T20:00:00Z'))).toBe('2025-06-03');
    expect(localDateOf('America/Los_Angeles', Date.parse('2025-06-02T03:00:00Z'))).toBe('2025-06-01');
  });

  test('When a time zone is unknown, then resolving in it throws a RangeError', () => {
    expect(() => offsetAt('Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });

  test('When a local date is read, then only real calendar dates are accepted', () => {
    expect(iso(wallMidnightOf('2024-02-29'))).toBe('2024-02-29T00:00:00.000Z');
    expect(() => wallMidnightOf('2025-02-29')).toThrow(RangeError);
    expect(() => wallMidnightOf('2025-6-2')).toThrow(RangeError);
  });
});
