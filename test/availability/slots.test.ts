import { checkSlot, computeSlots, isSlotAvailable, type SlotQuery } from '../../src/availability';
import { at, busyBetween, startTimes, studyQuery, wallClock } from './slot-fixtures';

// Monday 2 June 2025 in Berlin (CEST, UTC+2), a week without DST changes.
const zone = 'Europe/Berlin';
const mondayMorning = at('2025-06-02 06:00', zone);
const nineToFive = [{ start: '09:00', end: '17:00' }];

function mondayOnly(overrides: Partial<SlotQuery> = {}): SlotQuery {
  return studyQuery({
    timeZone: zone,
    now: mondayMorning,
    availability: { weekly: { mon: nineToFive } },
    window: { startDate: '2025-06-02', endDate: '2025-06-02' },
    ...overrides,
  });
}

describe('Slots from weekly windows and the step', () => {
  test('When a Monday is open 09:00–17:00 for 60-minute interviews, then it offers eight hourly slots', () => {
    expect(wallClock(computeSlots(mondayOnly()), zone)).toEqual([
      '2025-06-02 09:00–10:00',
      '2025-06-02 10:00–11:00',
      '2025-06-02 11:00–12:00',
      '2025-06-02 12:00–13:00',
      '2025-06-02 13:00–14:00',
      '2025-06-02 14:00–15:00',
      '2025-06-02 15:00–16:00',
      '2025-06-02 16:00–17:00',
    ]);
  });

  test('When the step is 30 minutes for an hour-long interview, then starts are every half hour and the last still fits', () => {
    const starts = startTimes(computeSlots(mondayOnly({ slotStepMinutes: 30 })), zone);
    expect(starts).toHaveLength(15);
    expect(starts.slice(0, 3)).toEqual(['09:00', '09:30', '10:00']);
    expect(starts.at(-1)).toBe('16:00');
  });

  test('When the step is longer than the interview, then starts count from the window start and leave gaps', () => {
    const query = mondayOnly({
      durationMinutes: 30,
      slotStepMinutes: 45,
      availability: { weekly: { mon: [{ start: '09:00', end: '11:00' }] } },
    });
    expect(wallClock(computeSlots(query), zone)).toEqual([
      '2025-06-02 09:00–09:30',
      '2025-06-02 09:45–10:15',
      '2025-06-02 10:30–11:00',
    ]);
  });

  test('When an interview would run past the window end, then that start is not offered', () => {
    const query = mondayOnly({ availability: { weekly: { mon: [{ start: '09:00', end: '10:30' }] } } });
    expect(startTimes(computeSlots(query), zone)).toEqual(['09:00']);
  });

  test('When two windows touch, then they act as one and an interview may run across the seam', () => {
    const windows = [
      { start: '12:00', end: '14:00' },
      { start: '09:00', end: '12:00' },
    ];
    const query = mondayOnly({ slotStepMinutes: 30, availability: { weekly: { mon: windows } } });
    expect(startTimes(computeSlots(query), zone)).toContain('11:30');
  });

  test('When windows are apart, then each window starts its own count of steps', () => {
    const windows = [
      { start: '09:00', end: '10:00' },
      { start: '10:15', end: '12:00' },
    ];
    const query = mondayOnly({
      durationMinutes: 30,
      slotStepMinutes: 30,
      availability: { weekly: { mon: windows } },
    });
    expect(startTimes(computeSlots(query), zone)).toEqual(['09:00', '09:30', '10:15', '10:45', '11:15']);
  });

  test('When the study is in Kathmandu (UTC+05:45), then slots are at its wall-clock hours', () => {
    const kathmandu = 'Asia/Kathmandu';
    const query = studyQuery({
      timeZone: kathmandu,
      now: new Date('2025-06-01T00:00:00Z'),
      availability: { weekly: { mon: [{ start: '09:00', end: '11:00' }] } },
      window: { startDate: '2025-06-02', endDate: '2025-06-02' },
    });
    expect(computeSlots(query).map((slot) => slot.start.toISOString())).toEqual([
      '2025-06-02T03:15:00.000Z',
      '2025-06-02T04:15:00.000Z',
    ]);
  });
});

describe('Date overrides', () => {
  const week = { weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive } };
  const threeDays = { startDate: '2025-06-02', endDate: '2025-06-08' };

  test('When a date has an override, then its windows replace the weekday windows on that date only', () => {
    const query = mondayOnly({
      window: threeDays,
      availability: {
        ...week,
        dateOverrides: [{ date: '2025-06-03', windows: [{ start: '18:00', end: '20:00' }] }],
      },
    });
    const tuesday = wallClock(computeSlots(query), zone).filter((slot) => slot.startsWith('2025-06-03'));
    expect(tuesday).toEqual(['2025-06-03 18:00–19:00', '2025-06-03 19:00–20:00']);
  });

  test('When an override has no windows, then that date offers nothing and the other days are untouched', () => {
    const query = mondayOnly({
      window: threeDays,
      availability: { ...week, dateOverrides: [{ date: '2025-06-03', windows: [] }] },
    });
    const days = new Set(wallClock(computeSlots(query), zone).map((slot) => slot.slice(0, 10)));
    expect([...days]).toEqual(['2025-06-02', '2025-06-04']);
  });

  test('When an override opens a Saturday that has no weekly windows, then that Saturday offers its hours', () => {
    const query = mondayOnly({
      window: threeDays,
      availability: {
        ...week,
        dateOverrides: [{ date: '2025-06-07', windows: [{ start: '10:00', end: '12:00' }] }],
      },
    });
    const saturday = wallClock(computeSlots(query), zone).filter((slot) => slot.startsWith('2025-06-07'));
    expect(saturday).toEqual(['2025-06-07 10:00–11:00', '2025-06-07 11:00–12:00']);
  });
});

describe('Busy time and buffers', () => {
  test('When busy time covers part of an hour, then every slot touching it is removed but touching neighbours stay', () => {
    const query = mondayOnly({
      slotStepMinutes: 30,
      busy: [busyBetween('2025-06-02 10:30', '2025-06-02 11:00', zone)],
    });
    const starts = startTimes(computeSlots(query), zone);
    expect(starts).toContain('09:30');
    expect(starts).not.toContain('10:00');
    expect(starts).not.toContain('10:30');
    expect(starts).toContain('11:00');
  });

  test('When busy intervals are back to back, overlapping and unsorted, then no slot squeezes between them', () => {
    const busy = [
      busyBetween('2025-06-02 11:00', '2025-06-02 12:00', zone),
      busyBetween('2025-06-02 10:00', '2025-06-02 11:00', zone),
      busyBetween('2025-06-02 10:15', '2025-06-02 10:45', zone),
      busyBetween('2025-06-02 14:00', '2025-06-02 14:00', zone), // empty, ignored
    ];
    const starts = startTimes(computeSlots(mondayOnly({ slotStepMinutes: 30, busy })), zone);
    expect(starts.filter((time) => time >= '09:00' && time < '13:00')).toEqual(['09:00', '12:00', '12:30']);
    expect(starts).toContain('14:00');
  });

  test('When buffers are set, then the time around each interview must be free too, but may lie outside the window', () => {
    const query = mondayOnly({
      slotStepMinutes: 30,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 15,
      busy: [busyBetween('2025-06-02 12:00', '2025-06-02 13:00', zone)],
    });
    const starts = startTimes(computeSlots(query), zone);
    expect(starts).toContain('09:00'); // its before-buffer 08:50 is outside the window, and free
    expect(starts).toContain('10:30'); // ends 11:30, buffer to 11:45
    expect(starts).not.toContain('11:00'); // ends 12:00, buffer to 12:15 hits the meeting
    expect(starts).not.toContain('13:00'); // buffer from 12:50 hits the meeting
    expect(starts).toContain('13:30'); // buffer from 13:20
  });

  test('When a busy interval from other calendars sits outside all windows, then it changes nothing', () => {
    const busy = [busyBetween('2025-06-02 07:00', '2025-06-02 08:59', zone)];
    expect(computeSlots(mondayOnly({ busy }))).toEqual(computeSlots(mondayOnly()));
  });
});

describe('Notice, horizon and fixed dates', () => {
  test('When the minimum notice ends at 10:00, then slots start at 10:00', () => {
    const query = mondayOnly({ now: at('2025-06-02 08:00', zone), minNoticeMinutes: 120 });
    expect(startTimes(computeSlots(query), zone)[0]).toBe('10:00');
  });

  test('When the notice ends between two start times, then the next start on the grid is first, not a shifted one', () => {
    const query = mondayOnly({ now: at('2025-06-02 08:10', zone), minNoticeMinutes: 60 });
    expect(startTimes(computeSlots(query), zone)[0]).toBe('10:00');
  });

  test('When the rolling horizon is 2 days from Monday noon, then Wednesday slots run until before noon', () => {
    const query = studyQuery({
      timeZone: zone,
      now: at('2025-06-02 12:00', zone),
      availability: { weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive } },
      window: { horizonDays: 2 },
    });
    const slots = wallClock(computeSlots(query), zone);
    expect(slots[0]).toBe('2025-06-02 12:00–13:00');
    expect(slots.at(-1)).toBe('2025-06-04 11:00–12:00');
  });

  test('When the horizon spans the spring DST change, then it ends at the same local clock time, not 72 real hours later', () => {
    const query = studyQuery({
      timeZone: zone,
      now: at('2025-03-28 10:00', zone), // Friday; clocks go forward on Sunday 30 March
      availability: { weekly: { mon: nineToFive } },
      window: { horizonDays: 3 },
    });
    expect(wallClock(computeSlots(query), zone)).toEqual(['2025-03-31 09:00–10:00']);
  });

  test('When the booking window is fixed, then its first and last local dates are included and no other', () => {
    const auckland = 'Pacific/Auckland';
    const weekdays = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive };
    const query = studyQuery({
      timeZone: auckland,
      now: new Date('2025-06-01T00:00:00Z'),
      availability: { weekly: weekdays },
      window: { startDate: '2025-06-03', endDate: '2025-06-04' },
    });
    const days = new Set(wallClock(computeSlots(query), auckland).map((slot) => slot.slice(0, 10)));
    expect([...days]).toEqual(['2025-06-03', '2025-06-04']);
    expect(computeSlots(query)[0]?.start.toISOString()).toBe('2025-06-02T21:00:00.000Z');
  });

  test('When a fixed window lies in the past, then nothing is offered', () => {
    expect(computeSlots(mondayOnly({ now: at('2025-06-03 08:00', zone) }))).toEqual([]);
  });

  test('When from and to are given, then only slots starting in [from, to) are returned', () => {
    const query = mondayOnly({ from: at('2025-06-02 10:30', zone), to: at('2025-06-02 13:00', zone) });
    expect(startTimes(computeSlots(query), zone)).toEqual(['11:00', '12:00']);
  });
});

describe('Daily limit', () => {
  const week = { weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive } };
  const days = (query: SlotQuery) => [
    ...new Set(wallClock(computeSlots(query), zone).map((slot) => slot.slice(0, 10))),
  ];

  test('When a day already holds the daily limit of bookings, then it offers nothing and other days still do', () => {
    const query = mondayOnly({
      availability: week,
      window: { startDate: '2025-06-02', endDate: '2025-06-04' },
      dailyLimit: 2,
      studyBookingStarts: [
        at('2025-06-02 09:00', zone),
        at('2025-06-03 09:00', zone),
        at('2025-06-03 15:00', zone),
      ],
    });
    expect(days(query)).toEqual(['2025-06-02', '2025-06-04']);
  });

  test("When a booking is late evening in UTC, then it counts for the study's local date", () => {
    const query = mondayOnly({
      availability: week,
      window: { startDate: '2025-06-02', endDate: '2025-06-04' },
      dailyLimit: 1,
      studyBookingStarts: [new Date('2025-06-03T22:30:00Z')], // 00:30 on Wednesday in Berlin
    });
    expect(days(query)).toEqual(['2025-06-02', '2025-06-03']);
  });
});

describe('Checking one proposed start', () => {
  const query = mondayOnly({
    now: at('2025-06-02 08:00', zone),
    minNoticeMinutes: 120,
    slotStepMinutes: 30,
    busy: [busyBetween('2025-06-02 14:00', '2025-06-02 15:00', zone)],
  });

  test.each([
    ['09:30', 'too-soon'],
    ['10:15', 'not-a-slot'],
    ['16:30', 'not-a-slot'],
    ['14:30', 'busy'],
  ])('When the participant proposes %s, then it is refused as %s', (time, reason) => {
    expect(checkSlot(query, at(`2025-06-02 ${time}`, zone))).toEqual({ available: false, reason });
    expect(isSlotAvailable(query, at(`2025-06-02 ${time}`, zone))).toBe(false);
  });

  test('When the proposed start is on a date outside the fixed window, then it is refused as outside the booking window', () => {
    expect(checkSlot(query, at('2025-06-09 10:00', zone))).toEqual({
      available: false,
      reason: 'outside-booking-window',
    });
  });

  test('When the day is full, then it is refused as day-full', () => {
    const full = { ...query, dailyLimit: 1, studyBookingStarts: [at('2025-06-02 16:00', zone)] };
    expect(checkSlot(full, at('2025-06-02 10:00', zone))).toEqual({ available: false, reason: 'day-full' });
  });

  test('When the proposed start is free, then the slot with its end is returned', () => {
    expect(checkSlot(query, at('2025-06-02 10:00', zone))).toEqual({
      available: true,
      slot: { start: at('2025-06-02 10:00', zone), end: at('2025-06-02 11:00', zone) },
    });
  });
});

describe('Inputs the core refuses', () => {
  test.each<[string, Partial<SlotQuery>]>([
    ['a step of zero', { slotStepMinutes: 0 }],
    ['a fractional duration', { durationMinutes: 30.5 }],
    ['a negative notice', { minNoticeMinutes: -1 }],
    ['an invalid now', { now: new Date(Number.NaN) }],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['busy time with an invalid date', { busy: [{ start: new Date(Number.NaN), end: new Date() }] }],
    [
      'a time of day that is not HH:MM',
      { availability: { weekly: { mon: [{ start: '9', end: '17:00' }] } } },
    ],
  ])(
    'When the query has %s, then computeSlots throws a RangeError instead of guessing',
    (_story, overrides) => {
      expect(() => computeSlots(mondayOnly(overrides))).toThrow(RangeError);
    },
  );
});
