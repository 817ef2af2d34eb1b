import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { invalid, required } from './errors';
import type { EventDateTime } from './state';

/**
 * Event start/end as Google takes them: `dateTime` (RFC 3339; without an offset only when
 * `timeZone` says where) or `date` for all-day events. Answers show `dateTime` with the
 * offset of the event's time zone, else the calendar's.
 */

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Parses an RFC 3339 timestamp that must carry an offset (query parameters, admin input). */
export function parseTimestamp(value: string): number | undefined {
  if (!DATE_TIME.test(value) || !HAS_OFFSET.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function normalizeEventTime(
  value: EventDateTime | undefined,
  which: 'start' | 'end',
  calendarTimeZone: string,
): EventDateTime {
  if (!value || (value.date === undefined && value.dateTime === undefined)) {
    throw required(`Missing ${which} time.`);
  }
  if (value.timeZone !== undefined && !isValidTimeZone(value.timeZone)) {
    throw invalid(`Invalid time zone definition for ${which} time.`);
  }
  const zone = value.timeZone !== undefined ? { timeZone: value.timeZone } : {};
  if (value.date !== undefined) {
    if (value.dateTime !== undefined || !DATE.test(value.date) || Number.isNaN(Date.parse(value.date))) {
      throw invalid(`Invalid ${which} time.`);
    }
    return { date: value.date, ...zone };
  }
  const dateTime = value.dateTime ?? '';
  if (!DATE_TIME.test(dateTime)) throw invalid(`Invalid ${which} time.`);
  let instant: number;
  if (HAS_OFFSET.test(dateTime)) {
    instant = Date.parse(dateTime);
  } else {
    if (value.timeZone === undefined) throw invalid(`Missing time zone definition for ${which} time.`);
    instant = fromZonedTime(dateTime, value.timeZone).getTime();
  }
  if (Number.isNaN(instant)) throw invalid(`Invalid ${which} time.`);
  return { dateTime: formatDateTime(instant, value.timeZone ?? calendarTimeZone), ...zone };
}

export function formatDateTime(instant: number, timeZone: string): string {
  return formatInTimeZone(new Date(instant), timeZone, "yyyy-MM-dd'T'HH:mm:ssXXX");
}

/** The instant an event time stands for; all-day dates start at midnight in the calendar's zone. */
export function instantOf(value: EventDateTime, calendarTimeZone: string): number {
  if (value.dateTime !== undefined) return Date.parse(value.dateTime);
  return fromZonedTime(
    `${value.date ?? '1970-01-01'}T00:00:00`,
    value.timeZone ?? calendarTimeZone,
  ).getTime();
}
