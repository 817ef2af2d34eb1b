import { computeSlots, type SlotQuery } from '../../src/availability';
import { studyQuery, wallClock } from './slot-fixtures';

/** Every day of the week open in the given windows, for one local date. */
function onDate(
  timeZone: string,
  date: string,
  windows: { start: string; end: string }[],
  overrides: Partial<SlotQuery> = {},
) {
  const everyDay = {
    mon: windows,
    tue: windows,
    wed: windows,
    thu: windows,
    fri: windows,
    sat: windows,
    sun: windows,
  };
  return studyQuery({
    timeZone,
    now: new Date('2024-01-01T00:00:00Z'),
    availability: { weekly: everyDay },
    window: { startDate: date, endDate: date },
    ...overrides,
  });
}

const nineToFive = [{ start: '09:00', end: '17:00' }];
const hourly = (date: string) =>
  ['09', '10', '11', '12', '13', '14', '15', '16'].map(
    (hour) => `${date} ${hour}:00–${String(Number(hour) + 1).padStart(2, '0')}:00`,
  );

describe('Office hours on the days clocks change', () => {
  test.each([
    ['America/New_York', '2025-03-09', 'spring forward'],
    ['America/New_York', '2025-11-02', 'fall back'],
    ['Europe/London', '2025-03-30', 'spring forward'],
    ['Europe/London', '2025-10-26', 'fall back'],
    ['Australia/Lord_Howe', '2025-10-05', 'spring forward by 30 minutes'],
    ['Australia/Lord_Howe', '2026-04-05', 'fall back by 30 minutes'],
    ['America/Santiago', '2025-09-07', 'spring forward at midnight'],
  ])(
    'When %s is open 09:00–17:00 on %s (%s), then the slots stay at 09:00–17:00 local time',
    (zone, date) => {
      const slots = computeSlots(onDate(zone, date, nineToFive));
      expect(wallClock(slots, zone)).toEqual(hourly(date));
      for (const slot of slots) expect(slot.end.getTime() - slot.start.getTime()).toBe(3_600_000);
    },
  );

  test('When New York moves from EST to EDT, then the same local hour is an hour earlier in UTC', () => {
    const before = computeSlots(onDate('America/New_York', '2025-03-08', nineToFive));
    const after = computeSlots(onDate('America/New_York', '2025-03-09', nineToFive));
    expect(before[0]?.start.toISOString()).toBe('2025-03-08T14:00:00.000Z');
    expect(after[0]?.start.toISOString()).toBe('2025-03-09T13:00:00.000Z');
  });
});

describe('Windows across the change itself', () => {
  test('When a New York window is 01:00–03:00 on the day 02:00–03:00 does not exist, then only real instants are offered', () => {
    const zone = 'America/New_York';
    const halfHours = onDate(zone, '2025-03-09', [{ start: '01:00', end: '03:00' }], {
      durationMinutes: 30,
      slotStepMinutes: 30,
    });
    expect(computeSlots(halfHours).map((slot) => slot.start.toISOString())).toEqual([
      '2025-03-09T06:00:00.000Z', // 01:00 EST
      '2025-03-09T06:30:00.000Z', // 01:30 EST
    ]);
    // The window holds one real hour, so an hour-long interview fits exactly once: 01:00 EST to 03:00 EDT.
    expect(
      wallClock(computeSlots(onDate(zone, '2025-03-09', [{ start: '01:00', end: '03:00' }])), zone),
    ).toEqual(['2025-03-09 01:00–03:00']);
  });

  test('When a window starts inside the gap, then it opens when the clocks land and skipped start times are not offered', () => {
    const zone = 'America/New_York';
    const query = onDate(zone, '2025-03-09', [{ start: '02:00', end: '05:00' }], { slotStepMinutes: 30 });
    expect(wallClock(computeSlots(query), zone)).toEqual([
      '2025-03-09 03:00–04:00',
      '2025-03-09 03:30–04:30',
      '2025-03-09 04:00–05:00',
    ]);
  });

  test('When Lord Howe skips 02:00–02:30, then half-hourly starts skip only 02:00', () => {
    const zone = 'Australia/Lord_Howe';
    const query = onDate(zone, '2025-10-05', [{ start: '01:00', end: '04:00' }], {
      durationMinutes: 30,
      slotStepMinutes: 30,
    });
    expect(wallClock(computeSlots(query), zone)).toEqual([
      '2025-10-05 01:00–01:30',
      '2025-10-05 01:30–02:30', // 30 real minutes: 02:00 never shows
      '2025-10-05 02:30–03:00',
      '2025-10-05 03:00–03:30',
      '2025-10-05 03:30–04:00',
    ]);
  });

  test('When New York repeats 01:00–02:00, then each start time is offered once, at its first occurrence', () => {
    const zone = 'America/New_York';
    const query = onDate(zone, '2025-11-02', [{ start: '00:00', end: '03:00' }]);
    const slots = computeSlots(query);
    expect(slots.map((slot) => slot.start.toISOString())).toEqual([
      '2025-11-02T04:00:00.000Z', // 00:00 EDT
      '2025-11-02T05:00:00.000Z', // 01:00 EDT; the second 01:00 (EST) is not offered again
      '2025-11-02T07:00:00.000Z', // 02:00 EST
    ]);
    expect(wallClock(slots, zone)).toEqual([
      '2025-11-02 00:00–01:00',
      '2025-11-02 01:00–01:00',
      '2025-11-02 02:00–03:00',
    ]);
  });

  test('When a whole day is open, then a 23-hour day offers 23 hourly slots and a 25-hour day 24 (each start time once)', () => {
    const zone = 'Europe/London';
    const allDay = [{ start: '00:00', end: '24:00' }];
    expect(computeSlots(onDate(zone, '2025-03-30', allDay))).toHaveLength(23);
    expect(computeSlots(onDate(zone, '2025-10-26', allDay))).toHaveLength(24);
    expect(computeSlots(onDate(zone, '2025-06-01', allDay))).toHaveLength(24);
  });

  test('When Santiago starts its day at 01:00 (midnight skipped), then a window from 00:00 opens at 01:00', () => {
    const zone = 'America/Santiago';
    const query = onDate(zone, '2025-09-07', [{ start: '00:00', end: '03:00' }]);
    expect(wallClock(computeSlots(query), zone)).toEqual([
      '2025-09-07 01:00–02:00',
      '2025-09-07 02:00–03:00',
    ]);
  });

  test('When a window ends at 24:00 on the night before a change at midnight, then the last slot ends at that real midnight', () => {
    const zone = 'America/Santiago';
    const query = onDate(zone, '2025-09-06', [{ start: '22:00', end: '24:00' }]);
    expect(computeSlots(query).map((slot) => slot.end.toISOString())).toEqual([
      '2025-09-07T03:00:00.000Z',
      '2025-09-07T04:00:00.000Z', // 24:00 −04 = the jump to 01:00 −03
    ]);
  });
});
