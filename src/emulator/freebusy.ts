import { z } from 'zod';
import { ApiError, invalid, required, timeRangeEmpty } from './errors';
import { formatDateTime, instantOf, isValidTimeZone, parseTimestamp } from './event-time';
import { eventTypeOf, typeBlocksTime } from './event-types';
import { isException, isSeries, seriesInstances } from './series';
import type { CalendarRecord, EventResource } from './state';

/**
 * `freebusy.query`: busy intervals from events that block time (not cancelled, not
 * transparent, not declined by the calendar's owner, not a working location or birthday;
 * out-of-office and focus time are busy), each instance of a series on its own, clipped to
 * the window and merged.
 * Calendars the caller cannot see answer an `errors` entry instead, as at Google.
 */
export const freeBusyBodySchema = z.object({
  timeMin: z.string().optional(),
  timeMax: z.string().optional(),
  timeZone: z.string().optional(),
  calendarExpansionMax: z.number().int().optional(),
  groupExpansionMax: z.number().int().optional(),
  items: z.array(z.object({ id: z.string() })).optional(),
});

export type FreeBusyBody = z.infer<typeof freeBusyBodySchema>;

export function freeBusyQuery(
  body: FreeBusyBody,
  resolve: (id: string) => CalendarRecord | undefined,
): Record<string, unknown> {
  if (body.timeMin === undefined) throw required('Missing timeMin.');
  if (body.timeMax === undefined) throw required('Missing timeMax.');
  const from = parseTimestamp(body.timeMin);
  const to = parseTimestamp(body.timeMax);
  if (from === undefined) throw invalid('Bad Request: invalid timeMin.');
  if (to === undefined) throw invalid('Bad Request: invalid timeMax.');
  if (from >= to) throw timeRangeEmpty();
  const timeZone = body.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw invalid('Invalid time zone.');
  const items = body.items ?? [];
  if (items.length > 50) {
    throw new ApiError(400, 'tooManyCalendarsRequested', 'The number of calendars requested is too large.');
  }
  const format = (ms: number) => formatDateTime(ms, timeZone);
  const calendars: Record<string, unknown> = {};
  for (const { id } of items) {
    const calendar = resolve(id);
    if (!calendar) {
      calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
      continue;
    }
    calendars[id] = {
      busy: busyIntervals(calendar, from, to).map(([start, end]) => ({
        start: format(start),
        end: format(end),
      })),
    };
  }
  return { kind: 'calendar#freeBusy', timeMin: format(from), timeMax: format(to), calendars };
}

export function busyIntervals(calendar: CalendarRecord, from: number, to: number): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  const add = (event: EventResource) => {
    if (!blocksTime(calendar, event)) return;
    const start = Math.max(instantOf(event.start, calendar.timeZone), from);
    const end = Math.min(instantOf(event.end, calendar.timeZone), to);
    if (start < end) intervals.push([start, end]);
  };
  for (const { resource: event } of Object.values(calendar.events)) {
    // Each instance of a series counts, a moved one where it is now; exceptions are
    // visited through their series, so none counts twice.
    if (isException(event)) continue;
    if (isSeries(event)) {
      if (event.status !== 'cancelled')
        seriesInstances(calendar, event, to).forEach(({ resource }) => add(resource));
    } else {
      add(event);
    }
  }
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const interval of intervals) {
    const last = merged[merged.length - 1];
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

function blocksTime(calendar: CalendarRecord, event: EventResource): boolean {
  if (event.status === 'cancelled' || event.transparency === 'transparent') return false;
  if (!typeBlocksTime(eventTypeOf(event))) return false;
  const own = event.attendees?.find((attendee) => attendee.email === calendar.owner);
  return own?.responseStatus !== 'declined';
}
