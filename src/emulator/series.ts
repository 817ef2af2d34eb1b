import { instantOf } from './event-time';
import { expandSeries, instantOfKey, isRecurring, type Occurrence } from './recurrence';
import type { CalendarRecord, EventResource, StoredEvent } from './state';

/**
 * Recurring events as Google keeps them: the series (`recurrence` set) is one stored event;
 * an instance is addressable as `<seriesId>_<originalStart>` (UTC `yyyyMMddTHHmmssZ`, or
 * `yyyyMMdd` for all-day) whether or not it was ever changed; changing or deleting one
 * instance stores an exception under that id, carrying `recurringEventId` and
 * `originalStartTime` (a deleted one stays, `cancelled`). Unchanged instances are derived
 * from the series on every read.
 */

const DAY_MS = 86_400_000;
/** *emulator*: how far a series without an end is expanded when the query sets no timeMax. */
export const EXPANSION_HORIZON_MS = 2 * 365 * DAY_MS;

export interface SeriesInstance {
  resource: EventResource;
  occurrence: Occurrence;
}

export function isException(event: EventResource): boolean {
  return typeof event.recurringEventId === 'string';
}

export function isSeries(event: EventResource): boolean {
  return isRecurring(event) && !isException(event);
}

/** Where expansion stops when nothing else bounds it. */
export function horizonOf(series: EventResource, calendar: CalendarRecord, nowMs: number): number {
  return Math.max(nowMs, instantOf(series.start, calendar.timeZone)) + EXPANSION_HORIZON_MS;
}

/** The series' instances starting before `untilMs`, its stored exceptions in place of the derived ones. */
export function seriesInstances(
  calendar: CalendarRecord,
  series: EventResource,
  untilMs: number,
): SeriesInstance[] {
  return expandSeries(series, calendar.timeZone, untilMs).map((occurrence) => {
    const id = `${series.id}_${occurrence.key}`;
    const exception = calendar.events[id];
    return { resource: exception ? exception.resource : derivedInstance(series, id, occurrence), occurrence };
  });
}

/**
 * An instance id not stored yet: the derived instance, as an unattached StoredEvent that a
 * write stores as an exception. Undefined when the id names no instance of a series here.
 */
export function resolveInstance(calendar: CalendarRecord, id: string): StoredEvent | undefined {
  const at = id.lastIndexOf('_');
  if (at <= 0) return undefined;
  const series = calendar.events[id.slice(0, at)]?.resource;
  const key = id.slice(at + 1);
  const keyMs = instantOfKey(key);
  if (!series || !isSeries(series) || keyMs === undefined) return undefined;
  // An all-day key is a UTC midnight; the instance starts within a day of it in any zone.
  const occurrence = expandSeries(series, calendar.timeZone, keyMs + 2 * DAY_MS).find(
    (candidate) => candidate.key === key,
  );
  if (!occurrence) return undefined;
  return {
    resource: derivedInstance(series, id, occurrence),
    changeSeq: 0,
    createdSeq: Object.keys(calendar.events).length + 1,
  };
}

function derivedInstance(series: EventResource, id: string, occurrence: Occurrence): EventResource {
  const { recurrence: _recurrence, ...fields } = series;
  return {
    ...fields,
    id,
    start: occurrence.start,
    end: occurrence.end,
    recurringEventId: series.id,
    originalStartTime: occurrence.start,
  };
}
