import { buildDayWindowTable, windowsOn, type DayWindowTable } from './day-windows';
import { BusySweep, mergeSpans, spanOf, spansOverlap, type Interval } from './intervals';
import { LocalDay } from './local-day';
import {
  DAY_MS,
  MINUTE_MS,
  formatWallDate,
  localDateOf,
  resolveWallTime,
  wallMidnightOf,
  wallTimeOf,
  type LocalDate,
} from './local-time';
import type { SlotRules } from './rules';
import type { Availability } from './schema';

/**
 * Everything that decides a study's free slots. There is deliberately no viewer time zone:
 * slots are instants, and the participant's zone only changes how they are displayed.
 */
export interface SlotQuery extends SlotRules {
  /** The study's IANA time zone; availability and daily limits are read in it. */
  timeZone: string;
  availability: Availability;
  /** The researcher's busy time: Google free/busy plus other bookings, in any order, may overlap. */
  busy: readonly Interval[];
  /**
   * Starts of this study's active bookings, for `dailyLimit`. When a participant moves a
   * booking, leave their current one out (here and in `busy`) so it does not block itself.
   */
  studyBookingStarts?: readonly Date[];
  now: Date;
  /** Only slots starting at or after this instant (the API's `from`). */
  from?: Date;
  /** Only slots starting before this instant (the API's `to`). */
  to?: Date;
}

export interface Slot {
  start: Date;
  end: Date;
}

/** Why a proposed start is not bookable; `busy` and `day-full` mean someone else was faster. */
export type SlotRefusal = 'too-soon' | 'outside-booking-window' | 'not-a-slot' | 'day-full' | 'busy';
export type SlotCheck = { available: true; slot: Slot } | { available: false; reason: SlotRefusal };

/**
 * The free slots of a study, sorted by start. Per local day in the study's zone: the day's
 * windows (a date override replaces the weekday's), start times at window start + k × step
 * in wall-clock minutes, each slot fitting its window; then only starts in
 * [now + notice, horizon end) and inside `from`/`to` and a fixed window's dates; no slot on a
 * day that already holds `dailyLimit` bookings; and none whose span widened by the buffers
 * overlaps busy time. Linear in days × windows + slots + busy (after one sort of busy).
 */
export function computeSlots(query: SlotQuery): Slot[] {
  const plan = planSearch(query);
  const sweep = new BusySweep(mergeSpans(query.busy.map(spanOf)));
  const slots: Slot[] = [];
  for (let wallMidnight = plan.firstDay; wallMidnight <= plan.lastDay; wallMidnight += DAY_MS) {
    if (isDayFull(plan, formatWallDate(wallMidnight))) continue;
    forEachStartOfDay(plan, wallMidnight, (start, end) => {
      if (start < plan.earliest || start >= plan.latest) return;
      if (sweep.isFree(start - plan.bufferBeforeMs, end + plan.bufferAfterMs)) {
        slots.push({ start: new Date(start), end: new Date(end) });
      }
    });
  }
  return slots;
}

/** The rules of `computeSlots` for one proposed start, with the reason when it fails. */
export function checkSlot(query: SlotQuery, proposedStart: Date): SlotCheck {
  const plan = planSearch(query);
  const start = proposedStart.getTime();
  if (Number.isNaN(start)) return { available: false, reason: 'not-a-slot' };
  if (start < plan.noticeEnd) return { available: false, reason: 'too-soon' };
  const date = localDateOf(query.timeZone, start);
  const wallMidnight = wallMidnightOf(date);
  if (
    start < plan.earliest ||
    start >= plan.latest ||
    wallMidnight < plan.firstDay ||
    wallMidnight > plan.lastDay
  ) {
    return { available: false, reason: 'outside-booking-window' };
  }
  let end: number | undefined;
  forEachStartOfDay(plan, wallMidnight, (candidate, candidateEnd) => {
    if (candidate === start) end = candidateEnd;
  });
  if (end === undefined) return { available: false, reason: 'not-a-slot' };
  if (isDayFull(plan, date)) return { available: false, reason: 'day-full' };
  const guarded = { start: start - plan.bufferBeforeMs, end: end + plan.bufferAfterMs };
  if (query.busy.some((interval) => spansOverlap(spanOf(interval), guarded))) {
    return { available: false, reason: 'busy' };
  }
  return { available: true, slot: { start: new Date(start), end: new Date(end) } };
}

/** Whether `computeSlots(query)` would offer a slot starting exactly at `start`. */
export function isSlotAvailable(query: SlotQuery, start: Date): boolean {
  return checkSlot(query, start).available;
}

/**
 * A query checked and turned into numbers once. Days are local midnights as wall times.
 * Exported (not from the package index) for explain-slot.ts, which must apply exactly these
 * rules to say why a time is not offered.
 */
export interface SearchPlan {
  timeZone: string;
  table: DayWindowTable;
  noticeEnd: number;
  earliest: number;
  latest: number;
  firstDay: number;
  lastDay: number;
  durationMs: number;
  stepMinutes: number;
  bufferBeforeMs: number;
  bufferAfterMs: number;
  dailyLimit: number | undefined;
  bookingsPerDay: Map<LocalDate, number>;
}

export function planSearch(query: SlotQuery): SearchPlan {
  requireInteger('durationMinutes', query.durationMinutes, 1);
  requireInteger('slotStepMinutes', query.slotStepMinutes, 1);
  requireInteger('bufferBeforeMinutes', query.bufferBeforeMinutes, 0);
  requireInteger('bufferAfterMinutes', query.bufferAfterMinutes, 0);
  requireInteger('minNoticeMinutes', query.minNoticeMinutes, 0);
  if (query.dailyLimit !== undefined) requireInteger('dailyLimit', query.dailyLimit, 0);
  const { timeZone, window } = query;
  const now = instantOf('now', query.now);
  const noticeEnd = now + query.minNoticeMinutes * MINUTE_MS;
  const earliest = Math.max(noticeEnd, query.from ? instantOf('from', query.from) : -Infinity);
  let latest = query.to ? instantOf('to', query.to) : Infinity;
  let firstDay = wallMidnightOf(localDateOf(timeZone, earliest));
  let lastDay: number;
  if ('horizonDays' in window) {
    requireInteger('horizonDays', window.horizonDays, 1);
    // The same local clock time horizonDays dates later, so a DST change does not move it.
    const horizonEnd = resolveWallTime(timeZone, wallTimeOf(timeZone, now) + window.horizonDays * DAY_MS);
    latest = Math.min(latest, horizonEnd.instant);
    lastDay = wallMidnightOf(localDateOf(timeZone, latest - 1));
  } else {
    firstDay = Math.max(firstDay, wallMidnightOf(window.startDate));
    lastDay = wallMidnightOf(window.endDate);
    if (latest !== Infinity) lastDay = Math.min(lastDay, wallMidnightOf(localDateOf(timeZone, latest - 1)));
  }
  return {
    timeZone,
    table: buildDayWindowTable(query.availability),
    noticeEnd,
    earliest,
    latest,
    firstDay,
    lastDay,
    durationMs: query.durationMinutes * MINUTE_MS,
    stepMinutes: query.slotStepMinutes,
    bufferBeforeMs: query.bufferBeforeMinutes * MINUTE_MS,
    bufferAfterMs: query.bufferAfterMinutes * MINUTE_MS,
    dailyLimit: query.dailyLimit,
    // Converting every booking's start to a local date costs a time-zone lookup each; a
    // study without a daily limit never reads the counts.
    bookingsPerDay:
      query.dailyLimit === undefined
        ? new Map()
        : countPerLocalDate(timeZone, query.studyBookingStarts ?? []),
  };
}

/**
 * Calls `visit` with every start (and end) the day's windows allow, in increasing order,
 * before notice, booking window and busy time are applied.
 */
export function forEachStartOfDay(
  plan: SearchPlan,
  wallMidnight: number,
  visit: (start: number, end: number) => void,
) {
  const windows = windowsOn(plan.table, formatWallDate(wallMidnight), new Date(wallMidnight).getUTCDay());
  if (windows.length === 0) return;
  const day = new LocalDay(plan.timeZone, wallMidnight);
  for (const window of windows) {
    const windowEnd = day.boundary(window.end);
    for (let minute = window.start; minute < window.end; minute += plan.stepMinutes) {
      const start = day.startAt(minute);
      if (start === undefined) continue;
      const end = start + plan.durationMs;
      // Ends grow with starts, so nothing later in this window fits either.
      if (end > windowEnd) break;
      visit(start, end);
    }
  }
}

export function isDayFull(plan: SearchPlan, date: LocalDate): boolean {
  return plan.dailyLimit !== undefined && (plan.bookingsPerDay.get(date) ?? 0) >= plan.dailyLimit;
}

/** How many of the given starts fall on each local date of the zone. */
export function countPerLocalDate(timeZone: string, starts: readonly Date[]): Map<LocalDate, number> {
  const counts = new Map<LocalDate, number>();
  for (const start of starts) {
    const date = localDateOf(timeZone, instantOf('studyBookingStarts', start));
    counts.set(date, (counts.get(date) ?? 0) + 1);
  }
  return counts;
}

function requireInteger(name: string, value: number, min: number): void {
  // A step of 0 would loop forever and NaN would silently match nothing: fail loudly instead.
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}`);
}

function instantOf(name: string, date: Date): number {
  const instant = date.getTime();
  if (Number.isNaN(instant)) throw new RangeError(`${name} is not a valid date`);
  return instant;
}
