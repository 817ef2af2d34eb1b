import fc from 'fast-check';
import type {
  HostInput,
  HostSlotQuery,
  SchedulingType,
  TimeWindow,
  WeeklyAvailability,
} from '../../src/availability';
import { dayWindows } from './slot-arbitraries';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Europe/Berlin and America/New_York change their clocks on different dates (three weeks
 * apart in March, one week in October/November), so for a while they are 5 hours apart
 * instead of 6: exactly when hosts in both lose or gain common hours.
 */
export const CLOCK_CHANGES = [
  '2025-03-09T07:00:00Z', // New York springs forward
  '2025-03-30T01:00:00Z', // Berlin springs forward
  '2025-10-26T01:00:00Z', // Berlin falls back
  '2025-11-02T06:00:00Z', // New York falls back
  '2026-03-08T07:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2026-11-01T06:00:00Z',
];

export const HOST_ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'UTC',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
];

const hm = (minute: number) =>
  minute === 1440
    ? '24:00'
    : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Office-like hours on the hour or half hour (so hosts share start times), or the fiddly random ones. */
const hostDay: fc.Arbitrary<TimeWindow[]> = fc.oneof(
  {
    // Long days around the middle of the day, so hosts six hours apart still overlap.
    arbitrary: fc
      .tuple(fc.integer({ min: 12, max: 26 }), fc.integer({ min: 10, max: 24 }))
      .map(([from, length]) => [{ start: hm(from * 30), end: hm(Math.min(48, from + length) * 30) }]),
    weight: 4,
  },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 46 }), fc.integer({ min: 1, max: 20 }))
      .map(([from, length]) => [{ start: hm(from * 30), end: hm(Math.min(48, from + length) * 30) }]),
    weight: 3,
  },
  { arbitrary: dayWindows, weight: 1 },
);

const weekly: fc.Arbitrary<WeeklyAvailability> = fc.record(
  { mon: hostDay, tue: hostDay, wed: hostDay, thu: hostDay, fri: hostDay, sat: hostDay, sun: hostDay },
  { requiredKeys: ['mon', 'tue', 'wed', 'thu', 'fri', 'sun'] },
);

/** Absent three times out of four. */
const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });

export function hostSlotQueryOf(schedulingTypes: readonly SchedulingType[]): fc.Arbitrary<HostSlotQuery> {
  return fc
    .record({
      schedulingType: fc.constantFrom(...schedulingTypes),
      timeZone: fc.constantFrom(...HOST_ZONES),
      now: fc
        .tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: -5 * DAY, max: DAY / 2 }))
        .map(([change, offset]) => new Date(Date.parse(change) + offset)),
    })
    .chain(({ schedulingType, timeZone, now }) => {
      const nowMs = now.getTime();
      const around = (fromDays: number, toDays: number) =>
        fc.integer({ min: nowMs + fromDays * DAY, max: nowMs + toDays * DAY }).map((ms) => new Date(ms));
      const isoDate = (days: number) => new Date(nowMs + days * DAY).toISOString().slice(0, 10);
      const busyInterval = fc
        .tuple(around(-1, 9), fc.integer({ min: 1, max: 48 }))
        .map(([start, quarters]) => {
          const from = start.getTime() - (start.getTime() % (15 * MINUTE));
          return { start: new Date(from), end: new Date(from + quarters * 15 * MINUTE) };
        });
      const host = (hostId: string): fc.Arbitrary<HostInput> =>
        fc.record(
          {
            hostId: fc.constant(hostId),
            name: fc.constant(hostId),
            hours: fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 1 },
              {
                arbitrary: fc.record(
                  {
                    timeZone: fc.constantFrom(...HOST_ZONES),
                    availability: fc.record(
                      {
                        weekly,
                        dateOverrides: fc
                          .uniqueArray(fc.integer({ min: -1, max: 8 }), { maxLength: 2 })
                          .chain((days) =>
                            fc.tuple(
                              ...days.map((d) => hostDay.map((windows) => ({ date: isoDate(d), windows }))),
                            ),
                          ),
                      },
                      { requiredKeys: ['weekly'] },
                    ),
                  },
                  { requiredKeys: ['timeZone', 'availability'] },
                ),
                weight: 3,
              },
            ),
            connection: fc.oneof(
              { arbitrary: fc.constant(undefined), weight: 12 },
              { arbitrary: fc.constant<'revoked'>('revoked'), weight: 1 },
            ),
            studyBookingStarts: fc.array(around(-1, 6), { maxLength: 6 }),
            busy: fc.array(busyInterval, { maxLength: 12 }),
          },
          { requiredKeys: ['hostId', 'name', 'busy'] },
        );
      const hostCount = schedulingType === 'one_on_one' ? fc.constant(1) : fc.integer({ min: 1, max: 3 });
      return fc.record({
        schedulingType: fc.constant(schedulingType),
        timeZone: fc.constant(timeZone),
        now: fc.constant(now),
        availability: fc.record({ weekly }),
        hosts: hostCount.chain((count) => fc.tuple(...['ada', 'ben', 'cem'].slice(0, count).map(host))),
        durationMinutes: fc.constantFrom(15, 30, 45, 60, 90),
        slotStepMinutes: fc.constantFrom(15, 30, 60),
        bufferBeforeMinutes: fc.constantFrom(0, 0, 10, 15),
        bufferAfterMinutes: fc.constantFrom(0, 0, 10, 15),
        minNoticeMinutes: fc.integer({ min: 0, max: 600 }),
        window: fc.oneof(
          fc.record({ horizonDays: fc.integer({ min: 1, max: 7 }) }),
          fc
            .tuple(fc.integer({ min: -1, max: 4 }), fc.integer({ min: 0, max: 4 }))
            .map(([first, length]) => ({ startDate: isoDate(first), endDate: isoDate(first + length) })),
        ),
        dailyLimit: optional(fc.integer({ min: 1, max: 3 })),
        from: optional(around(-1, 4)),
        to: optional(around(1, 8)),
      });
    });
}

export const hostSlotQuery = hostSlotQueryOf(['one_on_one', 'collective', 'round_robin']);
