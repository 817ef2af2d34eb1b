import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { Slot, SlotQuery } from '../../src/availability';

/** A study query with no buffers, notice or busy time unless a test says otherwise. */
export function studyQuery(overrides: Partial<SlotQuery> & Pick<SlotQuery, 'timeZone' | 'now'>): SlotQuery {
  return {
    availability: { weekly: {} },
    durationMinutes: 60,
    slotStepMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minNoticeMinutes: 0,
    window: { horizonDays: 30 },
    busy: [],
    ...overrides,
  };
}

/** Slots as the researcher's wall clock shows them: "YYYY-MM-DD HH:mm–HH:mm". */
export function wallClock(slots: readonly Slot[], timeZone: string): string[] {
  return slots.map(
    (slot) =>
      `${formatInTimeZone(slot.start, timeZone, 'yyyy-MM-dd HH:mm')}–${formatInTimeZone(slot.end, timeZone, 'HH:mm')}`,
  );
}

/** Slot starts as wall-clock times only, "HH:mm". */
export function startTimes(slots: readonly Slot[], timeZone: string): string[] {
  return slots.map((slot) => formatInTimeZone(slot.start, timeZone, 'HH:mm'));
}

/** An instant from an unambiguous local wall time, e.g. at('2025-06-02 09:00', 'Europe/Berlin'). */
export function at(wallTime: string, timeZone: string): Date {
  return fromZonedTime(wallTime.replace(' ', 'T'), timeZone);
}

export function busyBetween(from: string, to: string, timeZone: string) {
  return { start: at(from, timeZone), end: at(to, timeZone) };
}
