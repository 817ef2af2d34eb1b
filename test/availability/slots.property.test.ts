import fc from 'fast-check';
import { formatInTimeZone } from 'date-fns-tz';
import {
  computeSlots,
  isSlotAvailable,
  mergeIntervals,
  type Slot,
  type SlotQuery,
} from '../../src/availability';
import { slotQuery, ZONES_WITH_CHANGES } from './slot-arbitraries';
import {
  dateOf,
  referenceHorizonEnd,
  referenceSlots,
  shiftDate,
  toMinutes,
  windowsOfDate,
} from './reference-slots';

const MINUTE = 60_000;
const runs = { numRuns: 150 };
const iso = (slots: readonly Slot[]) =>
  slots.map((slot) => `${slot.start.toISOString()}/${slot.end.toISOString()}`);
const offsetOf = (instant: Date, zone: string) => formatInTimeZone(instant, zone, 'XXX');

describe('Slot properties over random studies, zones and clock changes', () => {
  test('When any study is queried, then slots equal a brute-force reference built on date-fns-tz', () => {
    fc.assert(
      fc.property(slotQuery, (query) => {
        expect(iso(computeSlots(query))).toEqual(iso(referenceSlots(query)));
      }),
      runs,
    );
  });

  test('When slots are returned, then they are sorted by start, each exactly the duration, and apart when the step allows', () => {
    fc.assert(
      fc.property(slotQuery, (query) => {
        const slots = computeSlots(query);
        slots.forEach((slot, i) => {
          expect(slot.end.getTime() - slot.start.getTime()).toBe(query.durationMinutes * MINUTE);
          const next = slots[i + 1];
          if (!next) return;
          expect(next.start.getTime()).toBeGreaterThan(slot.start.getTime());
          // Wall-clock steps are real steps unless a clock change lies between two starts.
          const sameOffset = offsetOf(slot.start, query.timeZone) === offsetOf(next.start, query.timeZone);
          if (query.slotStepMinutes >= query.durationMinutes && sameOffset) {
            expect(next.start.getTime()).toBeGreaterThanOrEqual(slot.end.getTime());
          }
        });
      }),
      runs,
    );
  });

  test('When slots are returned, then none widened by its buffers overlaps any busy interval', () => {
    fc.assert(
      fc.property(slotQuery, (query) => {
        for (const slot of computeSlots(query)) {
          const guardStart = slot.start.getTime() - query.bufferBeforeMinutes * MINUTE;
          const guardEnd = slot.end.getTime() + query.bufferAfterMinutes * MINUTE;
          const clash = query.busy.find((b) => b.start.getTime() < guardEnd && guardStart < b.end.getTime());
          expect(clash).toBeUndefined();
        }
      }),
      runs,
    );
  });

  test('When slots are returned, then each starts on a window step and ends inside that window, in local wall-clock time', () => {
    fc.assert(
      fc.property(slotQuery, (query) => {
        const zone = query.timeZone;
        for (const slot of computeSlots(query)) {
          const date = formatInTimeZone(slot.start, zone, 'yyyy-MM-dd');
          const startMinute = toMinutes(formatInTimeZone(slot.start, zone, 'HH:mm'));
          const endDate = formatInTimeZone(slot.end, zone, 'yyyy-MM-dd');
          if (endDate !== date) {
            expect([endDate, formatInTimeZone(slot.end, zone, 'HH:mm')]).toEqual([
              shiftDate(date, 1),
              '00:00',
            ]);
          }
          const window = windowsOfDate(query, date).find(
            (w) => w.start <= startMinute && startMinute < w.end,
          );
          expect(window).toBeDefined();
          expect((startMinute - window!.start) % query.slotStepMinutes).toBe(0);
          // The interview's last minute lies inside the window. (Its end's wall time is not
          // enough: a window ending at 01:00 on a spring-forward day where 01:00 jumps to
          // 02:00 ends at the jump, whose wall time reads 02:00.)
          const lastMinute = toMinutes(
            formatInTimeZone(new Date(slot.end.getTime() - MINUTE), zone, 'HH:mm'),
          );
          expect(lastMinute).toBeLessThan(window!.end);
        }
      }),
      runs,
    );
  });

  test('When slots are returned, then none starts before notice, before from, at or after to, or outside the booking window', () => {
    fc.assert(
      fc.property(slotQuery, (query) => {
        const earliest = Math.max(
          query.now.getTime() + query.minNoticeMinutes * MINUTE,
          query.from?.getTime() ?? -Infinity,
        );
        const latest = Math.min(referenceHorizonEnd(query), query.to?.getTime() ?? Infinity);
        for (const slot of computeSlots(query)) {
          expect(slot.start.getTime()).toBeGreaterThanOrEqual(earliest);
          expect(slot.start.getTime()).toBeLessThan(latest);
          if ('startDate' in query.window) {
            const date = dateOf(slot.start.getTime(), query.timeZone);
            expect(date >= query.window.startDate && date <= query.window.endDate).toBe(true);
          }
        }
      }),
      runs,
    );
  });

  test('When a day holds the daily limit of bookings, then it has no slot', () => {
    fc.assert(
      fc.property(slotQuery, (query) => {
        fc.pre(query.dailyLimit !== undefined);
        const booked = (query.studyBookingStarts ?? []).map((start) =>
          dateOf(start.getTime(), query.timeZone),
        );
        for (const slot of computeSlots(query)) {
          const date = dateOf(slot.start.getTime(), query.timeZone);
          expect(booked.filter((d) => d === date).length).toBeLessThan(query.dailyLimit!);
        }
      }),
      runs,
    );
  });

  test('When a start is checked alone, then isSlotAvailable agrees with membership in computeSlots', () => {
    const probeShifts = fc.array(fc.integer({ min: -240, max: 240 }), { maxLength: 12 });
    fc.assert(
      fc.property(slotQuery, probeShifts, (query, shifts) => {
        const slots = computeSlots(query);
        const offered = new Set(slots.map((slot) => slot.start.getTime()));
        for (const slot of slots) expect(isSlotAvailable(query, slot.start)).toBe(true);
        const anchor = slots[0]?.start.getTime() ?? query.now.getTime() + query.minNoticeMinutes * MINUTE;
        for (const shift of shifts) {
          const probe = new Date(anchor + shift * 5 * MINUTE);
          expect([probe.toISOString(), isSlotAvailable(query, probe)]).toEqual([
            probe.toISOString(),
            offered.has(probe.getTime()),
          ]);
        }
      }),
      runs,
    );
  });

  test("When the process runs in another time zone, then slots are identical (nothing reads the host's zone)", () => {
    const original = process.env.TZ;
    try {
      fc.assert(
        fc.property(
          slotQuery,
          fc.constantFrom('UTC', 'Pacific/Chatham', 'America/Los_Angeles', 'Asia/Kathmandu'),
          (query, host) => {
            process.env.TZ = 'UTC';
            const inUtc = iso(computeSlots(query));
            process.env.TZ = host;
            expect(iso(computeSlots(query))).toEqual(inUtc);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  test('When a slot is shown in a participant time zone with its offset, then it maps back to the same instant', () => {
    const viewers = fc.constantFrom(...Object.keys(ZONES_WITH_CHANGES), 'America/Los_Angeles', 'Asia/Tokyo');
    fc.assert(
      fc.property(slotQuery, viewers, (query: SlotQuery, viewer) => {
        for (const slot of computeSlots(query)) {
          const shown = formatInTimeZone(slot.start, viewer, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
          expect(new Date(shown).getTime()).toBe(slot.start.getTime());
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('Merging busy intervals', () => {
  const interval = fc
    .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -10, max: 500 }))
    .map(([start, length]) => ({
      start: new Date(start * MINUTE),
      end: new Date((start + length) * MINUTE),
    }));

  test('When intervals are merged, then the result is sorted, disjoint, non-touching and covers exactly the same minutes', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 40 }),
        fc.integer({ min: 0, max: 10_500 }),
        (intervals, minute) => {
          const merged = mergeIntervals(intervals);
          merged.forEach((span, i) => {
            expect(span.end.getTime()).toBeGreaterThan(span.start.getTime());
            const next = merged[i + 1];
            if (next) expect(next.start.getTime()).toBeGreaterThan(span.end.getTime());
          });
          const covers = (list: typeof intervals) =>
            list.some(
              (span) => span.start.getTime() <= minute * MINUTE && minute * MINUTE < span.end.getTime(),
            );
          expect(covers(merged)).toBe(covers(intervals));
        },
      ),
      { numRuns: 300 },
    );
  });
});
