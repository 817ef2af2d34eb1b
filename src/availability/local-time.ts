/**
 * Wall-clock time in an IANA time zone, without a clock and without the process time zone.
 *
 * A "wall time" is a local date and time written as if it were UTC milliseconds
 * (`Date.UTC(y, m, d, h, min)`); an "instant" is real UTC milliseconds. Converting between
 * them is where DST bugs live, so it is done here once:
 *
 * - date-fns-tz's `fromZonedTime` moves a wall time inside a spring-forward gap *backwards*
 *   (New York 02:30 on a spring-forward day becomes 01:30 EST, an instant that already has
 *   another wall time), and its `getTimezoneOffset` reads the Date's fields in the process
 *   time zone. Neither is safe for a service whose answers must not depend on where it runs,
 *   so offsets come straight from `Intl.DateTimeFormat`.
 * - A wall time that does not exist (inside a gap) resolves to the first real instant after
 *   the gap, the moment the clocks jumped; a wall time that exists twice (the repeated hour
 *   when clocks fall back) resolves to its first occurrence, the earlier instant.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A calendar date in the study's time zone, "YYYY-MM-DD". */
export type LocalDate = string;

/** How a wall time maps to real time on its day. */
export type WallTimeKind = 'exact' | 'ambiguous' | 'gap';

export interface ResolvedWallTime {
  /** The instant (UTC ms): the only one, the earlier of two, or the end of the gap. */
  instant: number;
  kind: WallTimeKind;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // Throws RangeError for an unknown zone, which is what callers should see.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "3/9/2025, 02:30:00" as en-US writes it (the space may be any Unicode space). */
const EN_US_DATE_TIME = /^(\d+)\/(\d+)\/(\d+),?\s+(\d+):(\d+):(\d+)$/;

/**
 * Offsets already read, per zone and instant. Slot lists ask for the same instants again and
 * again (the offsets around each local day, for every view of a study), and one Intl format
 * costs far more than a map lookup. Bounded: cleared when it grows past the limit.
 */
const knownOffsets = new Map<string, Map<number, number>>();
const KNOWN_OFFSETS_PER_ZONE = 20_000;

/** The zone's offset from UTC (ms, east positive) at an instant. */
export function offsetAt(timeZone: string, instant: number): number {
  let known = knownOffsets.get(timeZone);
  const offset = known?.get(instant);
  if (offset !== undefined) return offset;
  const read = readOffsetAt(timeZone, instant);
  if (!known) {
    known = new Map();
    knownOffsets.set(timeZone, known);
  }
  if (known.size >= KNOWN_OFFSETS_PER_ZONE) known.clear();
  known.set(instant, read);
  return read;
}

function readOffsetAt(timeZone: string, instant: number): number {
  // format() and a regex are several times faster than formatToParts(), and this is the hot path.
  const match = EN_US_DATE_TIME.exec(formatterFor(timeZone).format(instant));
  if (!match) throw new RangeError(`Cannot read the local time in ${timeZone}`);
  const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
  const wall = Date.UTC(
    year!,
    month! - 1,
    day!,
    hour! % 24, // some ICU versions write midnight as 24 even with h23
    minute!,
    second!,
  );
  // The formatter drops milliseconds, so compare against the instant's whole second.
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The wall time (as UTC ms) that an instant shows in the zone. */
export function wallTimeOf(timeZone: string, instant: number): number {
  return instant + offsetAt(timeZone, instant);
}

/**
 * The offsets in force around a wall time: the one before and the one after `change`, the
 * instant the clocks changed (Infinity when they did not). Looking `reach` either side
 * assumes a zone changes its offset at most once in that span, which holds for every zone
 * in the tz database for present and future dates.
 */
export interface OffsetChange {
  before: number;
  after: number;
  change: number;
}

export function offsetsAround(timeZone: string, wall: number, reach = DAY_MS): OffsetChange {
  // As instants, wall ± reach bracket every instant that can show this wall time (|offset| < 1 day).
  const low = wall - reach;
  const high = wall + reach;
  const before = offsetAt(timeZone, low);
  const after = offsetAt(timeZone, high);
  if (before === after) return { before, after, change: Infinity };
  return { before, after, change: firstInstantWithNewOffset(timeZone, low, high, before) };
}

/** The instant of a wall time, given the offsets around it: pure arithmetic, no Intl. */
export function resolveWithOffsets(offsets: OffsetChange, wall: number): ResolvedWallTime {
  const underBefore = wall - offsets.before;
  const underAfter = wall - offsets.after;
  const realBefore = underBefore < offsets.change;
  const realAfter = underAfter >= offsets.change;
  if (realBefore && realAfter && underBefore !== underAfter) {
    return { instant: Math.min(underBefore, underAfter), kind: 'ambiguous' };
  }
  if (realBefore) return { instant: underBefore, kind: 'exact' };
  if (realAfter) return { instant: underAfter, kind: 'exact' };
  return { instant: offsets.change, kind: 'gap' };
}

export function resolveWallTime(timeZone: string, wall: number): ResolvedWallTime {
  return resolveWithOffsets(offsetsAround(timeZone, wall), wall);
}

/** Binary search, to the second (tz data changes on whole seconds), for the change in (low, high]. */
function firstInstantWithNewOffset(timeZone: string, low: number, high: number, oldOffset: number): number {
  let stillOld = low;
  let alreadyNew = high;
  while (alreadyNew - stillOld > 1000) {
    const middle = stillOld + Math.max(1, Math.floor((alreadyNew - stillOld) / 2000)) * 1000;
    if (offsetAt(timeZone, middle) === oldOffset) stillOld = middle;
    else alreadyNew = middle;
  }
  return alreadyNew;
}

/** The zone's calendar date at an instant. */
export function localDateOf(timeZone: string, instant: number): LocalDate {
  return formatWallDate(wallTimeOf(timeZone, instant));
}

/** Midnight of a local date as a wall time; throws on anything but a real "YYYY-MM-DD". */
export function wallMidnightOf(date: LocalDate): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Not a local date: ${date}`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatWallDate(wall) !== date) throw new RangeError(`Not a calendar date: ${date}`);
  return wall;
}

export function isCalendarDate(date: string): boolean {
  try {
    wallMidnightOf(date);
    return true;
  } catch {
    return false;
  }
}

export function formatWallDate(wall: number): LocalDate {
  return new Date(wall).toISOString().slice(0, 10);
}

/** Minutes since midnight for "HH:MM" (00:00–24:00). */
export function minutesOfTime(time: string): number {
  const match = /^(\d{2}):([0-5]\d)$/.exec(time);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes <= 24 * 60)) throw new RangeError(`Not a time of day: ${time}`); // NaN fails too
  return minutes;
}
