import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { invalid, required } from './errors';
import { formatDateTime } from './event-time';
import type { EventDateTime } from './state';

/**
 * RFC 5545 recurrence as Google Calendar stores it in `recurrence` (RRULE, EXDATE, RDATE
 * lines; no DTSTART, the event's `start` is the first instance). Instances repeat at the
 * same wall-clock time in the start's `timeZone` (required for a timed recurring event),
 * so a weekly 15:00 stays 15:00 across a DST change.
 *
 * The emulator understands one RRULE with FREQ DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL,
 * COUNT, UNTIL, BYDAY (ordinals only in MONTHLY, or YEARLY with BYMONTH), BYMONTHDAY,
 * BYMONTH and WKST, plus EXDATE and RDATE. Anything else is refused with 400 rather than
 * expanded wrongly (Google accepts more; see the README's list of differences).
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const SUPPORTED_PARTS = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'WKST',
]);
/** *emulator*: a series is never expanded past this many instances. */
export const MAX_INSTANCES = 1000;

type Frequency = (typeof FREQUENCIES)[number];

interface WeekdayRule {
  ordinal?: number;
  weekday: number;
}

interface Rule {
  freq: Frequency;
  interval: number;
  count?: number;
  /** Inclusive: an instant, or a local day (UTC-midnight ms) for a date-only UNTIL. */
  until?: { instant: number } | { day: number };
  byDay?: WeekdayRule[];
  byMonthDay?: number[];
  byMonth?: number[];
  weekStart: number;
}

/** A date or date-time from EXDATE/RDATE: an instant, or a day for all-day series. */
type ListedTime = { instant: number } | { day: number };

interface Recurrence {
  rule: Rule;
  exdates: ListedTime[];
  rdates: ListedTime[];
}

export interface Occurrence {
  /** The instance id's suffix: UTC `yyyyMMddTHHmmssZ`, or `yyyyMMdd` for all-day. */
  key: string;
  startMs: number;
  endMs: number;
  /** The instance's `originalStartTime` and, unless moved, its `start`. */
  start: EventDateTime;
  end: EventDateTime;
}

export interface SeriesTimes {
  start: EventDateTime;
  end: EventDateTime;
  recurrence?: unknown;
}

export function isRecurring(event: { recurrence?: unknown }): boolean {
  return Array.isArray(event.recurrence) && event.recurrence.length > 0;
}

/** Refuses a recurrence the emulator cannot expand, or a timed series without a time zone. */
export function checkRecurrence(event: SeriesTimes): void {
  if (!isRecurring(event)) return;
  if (event.start.dateTime !== undefined && event.start.timeZone === undefined) {
    throw required('Missing time zone definition for start time.');
  }
  parseRecurrence(event.recurrence as string[], event.start.timeZone ?? 'UTC');
}

/**
 * The instances of a series whose start is before `untilMs`, in order, at most
 * MAX_INSTANCES. EXDATEs are left out (after COUNT has counted them, as RFC 5545 says).
 */
export function expandSeries(series: SeriesTimes, calendarTimeZone: string, untilMs: number): Occurrence[] {
  const allDay = series.start.date !== undefined;
  const zone = series.start.timeZone ?? calendarTimeZone;
  const { rule, exdates, rdates } = parseRecurrence(series.recurrence as string[], zone);
  const first = localStart(series.start, zone);
  const toInstant = (day: number) => fromZonedTime(`${isoDay(day)}T${first.time}`, zone).getTime();
  const duration = allDay
    ? dayOf(series.end.date ?? isoDay(first.day + DAY_MS)) - first.day
    : Date.parse(series.end.dateTime ?? '') - Date.parse(series.start.dateTime ?? '');

  const days: number[] = [];
  for (const day of candidateDays(rule, first.day, dayLimit(untilMs))) {
    if (rule.count !== undefined && days.length >= rule.count) break;
    if (rule.until && !withinUntil(rule.until, day, toInstant(day))) break;
    if (toInstant(day) >= untilMs || days.length >= MAX_INSTANCES) break;
    days.push(day);
  }
  for (const listed of rdates) {
    const day =
      'day' in listed ? listed.day : localStart({ dateTime: formatDateTime(listed.instant, zone) }, zone).day;
    if (toInstant(day) < untilMs && !days.includes(day)) days.push(day);
  }
  days.sort((a, b) => a - b);
  const excluded = (day: number) =>
    exdates.some((listed) => ('day' in listed ? listed.day === day : listed.instant === toInstant(day)));

  return days
    .filter((day) => !excluded(day))
    .slice(0, MAX_INSTANCES)
    .map((day) => {
      const startMs = toInstant(day);
      if (allDay) {
        const zoneField = series.start.timeZone !== undefined ? { timeZone: series.start.timeZone } : {};
        return {
          key: isoDay(day).replace(/-/g, ''),
          startMs,
          endMs: toInstant(day + duration),
          start: { date: isoDay(day), ...zoneField },
          end: { date: isoDay(day + duration), ...zoneField },
        };
      }
      const endZone = series.end.timeZone ?? zone;
      return {
        key: formatInTimeZone(new Date(startMs), 'UTC', "yyyyMMdd'T'HHmmss'Z'"),
        startMs,
        endMs: startMs + duration,
        start: { dateTime: formatDateTime(startMs, zone), timeZone: zone },
        end: { dateTime: formatDateTime(startMs + duration, endZone), timeZone: endZone },
      };
    });
}

/** The instant (or, for all-day keys, the UTC midnight) an instance id's suffix names. */
export function instantOfKey(key: string): number | undefined {
  const timed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(key);
  if (timed) {
    const [, y, mo, d, h, mi, s] = timed;
    return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  }
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(key);
  if (date) return Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
  return undefined;
}

function parseRecurrence(lines: string[], zone: string): Recurrence {
  let rule: Rule | undefined;
  const exdates: ListedTime[] = [];
  const rdates: ListedTime[] = [];
  for (const line of lines) {
    if (typeof line !== 'string') throw invalidRecurrence();
    const colon = line.indexOf(':');
    if (colon < 0) throw invalidRecurrence();
    const [name = '', ...params] = line.slice(0, colon).toUpperCase().split(';');
    const value = line.slice(colon + 1);
    if (name === 'RRULE') {
      if (rule) throw unsupported('more than one RRULE');
      rule = parseRule(value, zone);
    } else if (name === 'EXDATE' || name === 'RDATE') {
      const listed = parseTimeList(params, value);
      (name === 'EXDATE' ? exdates : rdates).push(...listed);
    } else if (name === 'EXRULE') {
      throw unsupported('EXRULE');
    } else {
      throw invalidRecurrence();
    }
  }
  if (!rule) throw unsupported('a recurrence without RRULE');
  return { rule, exdates, rdates };
}

function parseRule(text: string, zone: string): Rule {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const [key, value] = part.split('=');
    if (!key || value === undefined || value === '') throw invalidRecurrence();
    const name = key.toUpperCase();
    if (!SUPPORTED_PARTS.has(name)) throw unsupported(name);
    parts.set(name, value.toUpperCase());
  }
  const freq = parts.get('FREQ') as Frequency | undefined;
  if (!freq || !FREQUENCIES.includes(freq)) throw unsupported(`FREQ=${freq ?? ''}`);
  const rule: Rule = { freq, interval: positive(parts.get('INTERVAL') ?? '1'), weekStart: 1 };
  const count = parts.get('COUNT');
  if (count !== undefined) rule.count = positive(count);
  const until = parts.get('UNTIL');
  if (until !== undefined) {
    if (count !== undefined) throw invalidRecurrence();
    rule.until = parseListedTime(until, zone);
  }
  const wkst = parts.get('WKST');
  if (wkst !== undefined) rule.weekStart = weekdayIndex(wkst);
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    rule.byDay = byDay.split(',').map((item) => {
      const match = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(item);
      if (!match) throw invalidRecurrence();
      const ordinal = match[1] === undefined ? undefined : Number(match[1]);
      if (ordinal !== undefined && (ordinal === 0 || Math.abs(ordinal) > 5)) throw invalidRecurrence();
      return { weekday: weekdayIndex(match[2] ?? ''), ...(ordinal !== undefined ? { ordinal } : {}) };
    });
    const ordinals = rule.byDay.some((day) => day.ordinal !== undefined);
    if (ordinals && !(freq === 'MONTHLY' || (freq === 'YEARLY' && parts.has('BYMONTH')))) {
      throw unsupported('BYDAY with an ordinal outside a month');
    }
    if (freq === 'YEARLY' && !parts.has('BYMONTH')) throw unsupported('YEARLY BYDAY without BYMONTH');
  }
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    rule.byMonthDay = byMonthDay.split(',').map((item) => {
      const day = integer(item);
      if (day === 0 || Math.abs(day) > 31) throw invalidRecurrence();
      return day;
    });
  }
  const byMonth = parts.get('BYMONTH');
  if (byMonth !== undefined) {
    rule.byMonth = byMonth.split(',').map((item) => {
      const month = integer(item);
      if (month < 1 || month > 12) throw invalidRecurrence();
      return month;
    });
  }
  return rule;
}

/** `EXDATE;TZID=Europe/Berlin:20261214T150000,…`, `EXDATE:20261214T140000Z`, `EXDATE;VALUE=DATE:20261214`. */
function parseTimeList(params: string[], value: string): ListedTime[] {
  const tzParam = params.find((param) => param.startsWith('TZID='));
  const zone = tzParam ? tzParam.slice(5) : 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw invalidRecurrence();
  }
  return value.split(',').map((item) => parseListedTime(item.toUpperCase(), zone));
}

function parseListedTime(text: string, zone: string): ListedTime {
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (date) return { day: dayOf(`${date[1]}-${date[2]}-${date[3]}`) };
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(text);
  if (!time) throw invalidRecurrence();
  const [, y, mo, d, h, mi, s, utc] = time;
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const instant = utc ? Date.parse(`${local}Z`) : fromZonedTime(local, zone).getTime();
  if (Number.isNaN(instant)) throw invalidRecurrence();
  return { instant };
}

/** Candidate days (UTC-midnight ms of local dates) from `start` on, ascending; `start` first. */
function* candidateDays(rule: Rule, start: number, limit: number): Generator<number> {
  yield start;
  const startDate = new Date(start);
  const matchesMonth = (day: number) =>
    !rule.byMonth || rule.byMonth.includes(new Date(day).getUTCMonth() + 1);
  for (let period = 0; ; period++) {
    let days: number[];
    let periodStart: number;
    if (rule.freq === 'DAILY') {
      periodStart = start + period * rule.interval * DAY_MS;
      days = [periodStart].filter((day) => matchesWeekday(rule, day) && matchesMonthDay(rule, day));
    } else if (rule.freq === 'WEEKLY') {
      const offset = (startDate.getUTCDay() - rule.weekStart + 7) % 7;
      periodStart = start - offset * DAY_MS + period * rule.interval * 7 * DAY_MS;
      const weekdays = rule.byDay?.map((day) => day.weekday) ?? [startDate.getUTCDay()];
      days = Array.from({ length: 7 }, (_, i) => periodStart + i * DAY_MS).filter((day) =>
        weekdays.includes(new Date(day).getUTCDay()),
      );
    } else if (rule.freq === 'MONTHLY') {
      const month = startDate.getUTCMonth() + period * rule.interval;
      periodStart = Date.UTC(startDate.getUTCFullYear(), month, 1);
      days = daysOfMonth(rule, periodStart, startDate.getUTCDate());
    } else {
      const year = startDate.getUTCFullYear() + period * rule.interval;
      periodStart = Date.UTC(year, 0, 1);
      const months = rule.byMonth ?? [startDate.getUTCMonth() + 1];
      days = months.flatMap((month) =>
        daysOfMonth(rule, Date.UTC(year, month - 1, 1), startDate.getUTCDate()),
      );
    }
    if (periodStart > limit) return;
    for (const day of days.sort((a, b) => a - b)) if (day > start && matchesMonth(day)) yield day;
  }
}

function daysOfMonth(rule: Rule, monthStart: number, startDayOfMonth: number): number[] {
  const first = new Date(monthStart);
  const length = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const all = Array.from({ length }, (_, i) => monthStart + i * DAY_MS);
  if (!rule.byDay && !rule.byMonthDay)
    return startDayOfMonth <= length ? [all[startDayOfMonth - 1] ?? 0] : [];
  return all.filter((day) => matchesMonthDay(rule, day) && matchesOrdinalWeekday(rule, day, length));
}

function matchesWeekday(rule: Rule, day: number): boolean {
  return !rule.byDay || rule.byDay.some((entry) => entry.weekday === new Date(day).getUTCDay());
}

function matchesMonthDay(rule: Rule, day: number): boolean {
  if (!rule.byMonthDay) return true;
  const date = new Date(day);
  const length = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  return rule.byMonthDay.some((n) => (n > 0 ? n : length + 1 + n) === date.getUTCDate());
}

function matchesOrdinalWeekday(rule: Rule, day: number, monthLength: number): boolean {
  if (!rule.byDay) return true;
  const date = new Date(day);
  const nth = Math.floor((date.getUTCDate() - 1) / 7) + 1;
  const nthFromEnd = -(Math.floor((monthLength - date.getUTCDate()) / 7) + 1);
  return rule.byDay.some(
    (entry) =>
      entry.weekday === date.getUTCDay() &&
      (entry.ordinal === undefined || entry.ordinal === nth || entry.ordinal === nthFromEnd),
  );
}

function withinUntil(until: NonNullable<Rule['until']>, day: number, instant: number): boolean {
  return 'day' in until ? day <= until.day : instant <= until.instant;
}

function localStart(start: EventDateTime, zone: string): { day: number; time: string } {
  if (start.date !== undefined) return { day: dayOf(start.date), time: '00:00:00' };
  const local = formatInTimeZone(new Date(start.dateTime ?? ''), zone, "yyyy-MM-dd'T'HH:mm:ss");
  return { day: dayOf(local.slice(0, 10)), time: local.slice(11) };
}

/** The last local day that could hold an instance starting before `untilMs` (zones are within ±14 h). */
function dayLimit(untilMs: number): number {
  return Math.floor(untilMs / DAY_MS) * DAY_MS + DAY_MS;
}

const dayOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
const isoDay = (day: number) => new Date(day).toISOString().slice(0, 10);

function weekdayIndex(code: string): number {
  const index = WEEKDAYS.indexOf(code);
  if (index < 0) throw invalidRecurrence();
  return index;
}

function integer(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw invalidRecurrence();
  return Number(text);
}

function positive(text: string): number {
  const value = integer(text);
  if (value < 1) throw invalidRecurrence();
  return value;
}

function invalidRecurrence() {
  return invalid('Invalid recurrence rule.');
}

function unsupported(what: string) {
  return invalid(`Invalid recurrence rule: the emulator does not expand ${what}.`);
}
