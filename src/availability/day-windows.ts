import { minutesOfTime, type LocalDate } from './local-time';
import type { Availability, TimeWindow } from './schema';

/** A window as minutes after local midnight, [start, end), end at most 1440. */
export interface MinuteWindow {
  start: number;
  end: number;
}

/** Availability parsed once per query: windows by weekday (0 = Sunday) and by overridden date. */
export interface DayWindowTable {
  weekly: MinuteWindow[][];
  overrides: Map<LocalDate, MinuteWindow[]>;
}

const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function buildDayWindowTable(availability: Availability): DayWindowTable {
  return {
    weekly: WEEKDAY_KEYS.map((key) => normalizeWindows(availability.weekly[key] ?? [])),
    overrides: new Map(
      (availability.dateOverrides ?? []).map((override) => [
        override.date,
        normalizeWindows(override.windows),
      ]),
    ),
  };
}

/** The windows of a date: its override if it has one (even an empty one), else its weekday's. */
export function windowsOn(table: DayWindowTable, date: LocalDate, weekday: number): MinuteWindow[] {
  return table.overrides.get(date) ?? table.weekly[weekday] ?? [];
}

/**
 * Sorted, with touching or overlapping windows joined: 09:00–12:00 plus 12:00–17:00 is one
 * afternoon for the researcher, so an interview may run across 12:00. Stored data that
 * bypassed the schema (overlaps, empty windows) is made safe here rather than trusted.
 */
export function normalizeWindows(windows: readonly TimeWindow[]): MinuteWindow[] {
  const sorted = windows
    .map((window) => ({ start: minutesOfTime(window.start), end: minutesOfTime(window.end) }))
    .filter((window) => window.end > window.start)
    .sort((a, b) => a.start - b.start);
  const joined: MinuteWindow[] = [];
  for (const window of sorted) {
    const last = joined[joined.length - 1];
    if (last && window.start <= last.end) last.end = Math.max(last.end, window.end);
    else joined.push({ ...window });
  }
  return joined;
}
