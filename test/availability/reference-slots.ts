import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { Slot, SlotQuery, TimeWindow } from '../../src/availability';

/**
 * A second, deliberately naive implementation of the documented slot rules, built only on
 * date-fns-tz and brute force (every busy interval for every slot, every date in range), to
 * compare `computeSlots` against. It shares no code with src/availability.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const wallOf = (instant: number, timeZone: string) =>
  formatInTimeZone(instant, timeZone, "yyyy-MM-dd'T'HH:mm");
export const dateOf = (instant: number, timeZone: string) =>
  formatInTimeZone(instant, timeZone, 'yyyy-MM-dd');

export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function toMinutes(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

export function wallText(date: string, minute: number): string {
  if (minute === 1440) return `${shiftDate(date, 1)}T00:00`;
  return `${date}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The first instant showing a wall time, or for a time the clocks skip, the first instant after it. */
export function referenceInstant(wall: string, timeZone: string): { instant: number; exists: boolean } {
  const guess = fromZonedTime(wall, timeZone).getTime();
  if (wallOf(guess, timeZone) === wall) {
    // date-fns-tz picks either occurrence of a repeated time depending on the zone.
    const earlier = [60, 30]
      .map((minutes) => guess - minutes * MINUTE)
      .filter((t) => wallOf(t, timeZone) === wall);
    return { instant: Math.min(guess, ...earlier), exists: true };
  }
  let instant = guess - 2 * 60 * MINUTE;
  while (wallOf(instant, timeZone) < wall) instant += MINUTE;
  return { instant, exists: false };
}

/** Windows of a day sorted, touching ones joined, as the rules document. */
export function joinedWindows(windows: readonly TimeWindow[]): { start: number; end: number }[] {
  const sorted = windows
    .map((w) => ({ start: toMinutes(w.start), end: toMinutes(w.end) }))
    .sort((a, b) => a.start - b.start);
  const joined: { start: number; end: number }[] = [];
  for (const window of sorted) {
    const last = joined.at(-1);
    if (last && window.start <= last.end) last.end = Math.max(last.end, window.end);
    else joined.push({ ...window });
  }
  return joined;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function windowsOfDate(query: SlotQuery, date: string) {
  const override = query.availability.dateOverrides?.find((o) => o.date === date);
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
  return joinedWindows(override ? override.windows : (query.availability.weekly[weekday] ?? []));
}

export function referenceHorizonEnd(query: SlotQuery): number {
  if (!('horizonDays' in query.window)) return Infinity;
  const now = query.now.getTime();
  const [date, time] = wallOf(now, query.timeZone).split('T');
  // Same local clock time horizonDays dates later (seconds of now kept).
  const wall = `${shiftDate(date!, query.window.horizonDays)}T${time}`;
  const end = referenceInstant(wall, query.timeZone);
  return end.exists ? end.instant + (now % MINUTE) : end.instant;
}

export function referenceSlots(query: SlotQuery): Slot[] {
  const { timeZone: zone } = query;
  const now = query.now.getTime();
  const earliest = Math.max(now + query.minNoticeMinutes * MINUTE, query.from?.getTime() ?? -Infinity);
  const latest = Math.min(referenceHorizonEnd(query), query.to?.getTime() ?? Infinity);
  const dates =
    'horizonDays' in query.window
      ? range(-1, query.window.horizonDays + 1).map((d) => shiftDate(dateOf(now, zone), d))
      : range(0, (Date.parse(query.window.endDate) - Date.parse(query.window.startDate)) / DAY).map((d) =>
          shiftDate((query.window as { startDate: string }).startDate, d),
        );
  const booked = (query.studyBookingStarts ?? []).map((start) => dateOf(start.getTime(), zone));
  const slots: Slot[] = [];
  for (const date of dates) {
    if (query.dailyLimit !== undefined && booked.filter((d) => d === date).length >= query.dailyLimit)
      continue;
    for (const window of windowsOfDate(query, date)) {
      const windowEnd = referenceInstant(wallText(date, window.end), zone).instant;
      for (let minute = window.start; minute < window.end; minute += query.slotStepMinutes) {
        const start = referenceInstant(wallText(date, minute), zone);
        const end = start.instant + query.durationMinutes * MINUTE;
        if (!start.exists || end > windowEnd || start.instant < earliest || start.instant >= latest) continue;
        const guardStart = start.instant - query.bufferBeforeMinutes * MINUTE;
        const guardEnd = end + query.bufferAfterMinutes * MINUTE;
        if (query.busy.some((b) => b.start.getTime() < guardEnd && guardStart < b.end.getTime())) continue;
        slots.push({ start: new Date(start.instant), end: new Date(end) });
      }
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
