import fc from 'fast-check';
import type { SlotQuery, TimeWindow } from '../../src/availability';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Zones chosen for their trouble, with instants near which their clocks change. */
export const ZONES_WITH_CHANGES: Record<string, string[]> = {
  UTC: [],
  'Asia/Kathmandu': [], // +05:45, no DST
  'America/New_York': ['2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z'],
  'Europe/London': ['2025-03-30T01:00:00Z', '2025-10-26T01:00:00Z'],
  'Australia/Lord_Howe': ['2025-10-04T15:30:00Z', '2026-04-04T15:00:00Z'], // 30-minute shifts
  'Pacific/Chatham': ['2025-04-05T14:00:00Z', '2025-09-27T14:00:00Z'], // +12:45 / +13:45
  'America/Santiago': ['2025-04-06T03:00:00Z', '2025-09-07T04:00:00Z'], // changes at midnight
};

const timeText = (minute: number) =>
  minute === 1440
    ? '24:00'
    : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/**
 * Mostly 1–3 windows of one day on a 5-minute grid, sorted, never touching; sometimes none;
 * often only in the small hours, where clocks change.
 */
export const dayWindows: fc.Arbitrary<TimeWindow[]> = fc
  .oneof(
    {
      arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 288 }), { minLength: 2, maxLength: 6 }),
      weight: 3,
    },
    { arbitrary: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 2, maxLength: 4 }), weight: 2 },
    { arbitrary: fc.constant<number[]>([]), weight: 1 },
  )
  .map((marks) => {
    const sorted = [...marks].sort((a, b) => a - b).map((mark) => mark * 5);
    const windows: TimeWindow[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      windows.push({ start: timeText(sorted[i]!), end: timeText(sorted[i + 1]!) });
    return windows;
  });

const fiveMinutes = (min: number, max: number) => fc.integer({ min, max }).map((n) => n * 5);

/** `now` near a clock change of the zone (so slots cross it) or anywhere in 2024–2027. */
function nowIn(zone: string): fc.Arbitrary<Date> {
  const changes = ZONES_WITH_CHANGES[zone] ?? [];
  const anywhere = fc.integer({
    min: Date.parse('2024-01-01T00:00:00Z'),
    max: Date.parse('2027-12-31T00:00:00Z'),
  });
  const nearChange =
    changes.length === 0
      ? anywhere
      : fc
          .tuple(fc.constantFrom(...changes), fc.integer({ min: -4 * DAY, max: DAY / 2 }))
          .map(([change, offset]) => Date.parse(change) + offset);
  return fc
    .oneof({ arbitrary: nearChange, weight: 3 }, { arbitrary: anywhere, weight: 1 })
    .map((ms) => new Date(ms));
}

/** Absent three times out of four: from, to and a daily limit are the exception. */
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });

export const slotQuery: fc.Arbitrary<SlotQuery> = fc
  .constantFrom(...Object.keys(ZONES_WITH_CHANGES))
  .chain((timeZone) => fc.record({ timeZone: fc.constant(timeZone), now: nowIn(timeZone) }))
  .chain(({ timeZone, now }) => {
    const nowMs = now.getTime();
    const around = (fromDays: number, toDays: number) =>
      fc.integer({ min: nowMs + fromDays * DAY, max: nowMs + toDays * DAY }).map((ms) => new Date(ms));
    const isoDate = (days: number) => new Date(nowMs + days * DAY).toISOString().slice(0, 10);
    const weekly = fc.record(
      {
        mon: dayWindows,
        tue: dayWindows,
        wed: dayWindows,
        thu: dayWindows,
        fri: dayWindows,
        sat: dayWindows,
        sun: dayWindows,
      },
      // Most clocks change on a Sunday night, so Sunday is always there.
      { requiredKeys: ['mon', 'tue', 'wed', 'thu', 'fri', 'sun'] },
    );
    const dateOverrides = fc
      .uniqueArray(fc.integer({ min: -1, max: 8 }), { maxLength: 3 })
      .chain((days) =>
        fc.tuple(...days.map((d) => dayWindows.map((windows) => ({ date: isoDate(d), windows })))),
      );
    // Half of the busy intervals sit on the 5-minute grid, so they touch slots and buffers exactly.
    const busyInterval = fc
      .tuple(around(-1, 9), fc.integer({ min: 1, max: 300 }), fc.boolean())
      .map(([start, minutes, onGrid]) => {
        const from = onGrid ? start.getTime() - (start.getTime() % (5 * MINUTE)) : start.getTime();
        return {
          start: new Date(from),
          end: new Date(from + (onGrid ? minutes - (minutes % 5) + 5 : minutes) * MINUTE),
        };
      });
    return fc.record({
      timeZone: fc.constant(timeZone),
      now: fc.constant(now),
      availability: fc.record({ weekly, dateOverrides }, { requiredKeys: ['weekly'] }),
      durationMinutes: fc.oneof(fiveMinutes(1, 24), fiveMinutes(1, 96)),
      slotStepMinutes: fc.oneof(fiveMinutes(1, 12), fiveMinutes(1, 96)),
      bufferBeforeMinutes: fiveMinutes(0, 12),
      bufferAfterMinutes: fiveMinutes(0, 12),
      minNoticeMinutes: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 240 }), weight: 4 },
        { arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 1 },
      ),
      window: fc.oneof(
        fc.record({ horizonDays: fc.integer({ min: 1, max: 8 }) }),
        fc
          .tuple(fc.integer({ min: -1, max: 4 }), fc.integer({ min: 0, max: 5 }))
          .map(([first, length]) => ({ startDate: isoDate(first), endDate: isoDate(first + length) })),
      ),
      dailyLimit: optional(fc.integer({ min: 1, max: 4 })),
      studyBookingStarts: fc.array(around(-1, 5), { maxLength: 16 }),
      busy: fc.array(busyInterval, { maxLength: 60 }),
      from: optional(around(-1, 5)),
      to: optional(around(1, 9)),
    });
  });
