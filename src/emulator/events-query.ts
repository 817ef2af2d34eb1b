import { invalid, notFound, timeRangeEmpty } from './errors';
import { instantOf, parseTimestamp } from './event-time';
import { eventTypeOf, parseEventTypes, type EventType } from './event-types';
import { horizonOf, isException, isSeries, seriesInstances } from './series';
import type { CalendarRecord, EventResource, StoredEvent } from './state';
import {
  compareKeys,
  decodePageToken,
  decodeSyncToken,
  encodePageToken,
  encodeSyncToken,
  queryFingerprint,
  type SortKey,
} from './sync-tokens';

/**
 * `events.list`: a full listing (filters, order, pages, then a `nextSyncToken` on the last
 * page only) or an incremental one from a `syncToken` (every change since, deleted events
 * included as `cancelled`, whatever `showDeleted` says).
 */

export const DEFAULT_MAX_RESULTS = 250;
export const MAX_RESULTS_CAP = 2500;

/** Google refuses these together with a syncToken. */
const NOT_WITH_SYNC_TOKEN = [
  'iCalUID',
  'orderBy',
  'privateExtendedProperty',
  'q',
  'sharedExtendedProperty',
  'timeMin',
  'timeMax',
  'updatedMin',
];

export interface ListQuery {
  timeMin?: number;
  timeMax?: number;
  updatedMin?: number;
  q?: string;
  singleEvents: boolean;
  orderBy?: 'startTime' | 'updated';
  maxResults: number;
  pageToken?: string;
  showDeleted: boolean;
  privateExtendedProperty: Array<[string, string]>;
  sharedExtendedProperty: Array<[string, string]>;
  iCalUID?: string;
  syncToken?: string;
  /** Unset: every type. */
  eventTypes?: EventType[];
}

export interface EventsPage {
  items: Array<Record<string, unknown>>;
  nextPageToken?: string;
  nextSyncToken?: string;
}

export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const one = (name: string): string | undefined => {
    const value = query[name];
    if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const many = (name: string): string[] => {
    const value = query[name];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
    return typeof value === 'string' ? [value] : [];
  };
  const time = (name: string): number | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    const ms = parseTimestamp(value);
    if (ms === undefined) throw invalid(`Bad Request: invalid ${name}.`);
    return ms;
  };
  const flag = (name: string) => one(name) === 'true';
  const pairs = (name: string): Array<[string, string]> =>
    many(name).map((item) => {
      const at = item.indexOf('=');
      if (at <= 0) throw invalid(`Invalid ${name} value: ${item}`);
      return [item.slice(0, at), item.slice(at + 1)];
    });

  const syncToken = one('syncToken');
  if (syncToken !== undefined) {
    const clash = NOT_WITH_SYNC_TOKEN.find((name) => query[name] !== undefined);
    if (clash) throw invalid(`Sync token cannot be used with ${clash}.`);
  }
  const maxText = one('maxResults');
  const maxResults = maxText === undefined ? DEFAULT_MAX_RESULTS : Number(maxText);
  if (!Number.isInteger(maxResults) || maxResults < 1) throw invalid('Invalid value for maxResults.');
  const orderBy = one('orderBy');
  if (orderBy !== undefined && orderBy !== 'startTime' && orderBy !== 'updated') {
    throw invalid(`Invalid value for orderBy: ${orderBy}`);
  }
  const singleEvents = flag('singleEvents');
  if (orderBy === 'startTime' && !singleEvents) {
    throw invalid('The requested ordering is not available for the particular query.');
  }
  const parsed: ListQuery = {
    singleEvents,
    maxResults: Math.min(maxResults, MAX_RESULTS_CAP),
    showDeleted: flag('showDeleted'),
    privateExtendedProperty: pairs('privateExtendedProperty'),
    sharedExtendedProperty: pairs('sharedExtendedProperty'),
  };
  const timeMin = time('timeMin');
  const timeMax = time('timeMax');
  const updatedMin = time('updatedMin');
  if (timeMin !== undefined) parsed.timeMin = timeMin;
  if (timeMax !== undefined) parsed.timeMax = timeMax;
  if (timeMin !== undefined && timeMax !== undefined && timeMin >= timeMax) throw timeRangeEmpty();
  if (updatedMin !== undefined) parsed.updatedMin = updatedMin;
  const q = one('q');
  if (q !== undefined && q.trim() !== '') parsed.q = q;
  if (orderBy === 'startTime' || orderBy === 'updated') parsed.orderBy = orderBy;
  const pageToken = one('pageToken');
  if (pageToken !== undefined) parsed.pageToken = pageToken;
  const iCalUID = one('iCalUID');
  if (iCalUID !== undefined) parsed.iCalUID = iCalUID;
  const eventTypes = parseEventTypes(many('eventTypes'));
  if (eventTypes) parsed.eventTypes = eventTypes;
  if (syncToken !== undefined) parsed.syncToken = syncToken;
  return parsed;
}

export function listEvents(
  calendar: CalendarRecord,
  query: ListQuery,
  rawQuery: Record<string, unknown>,
  nowMs: number,
): EventsPage {
  const fingerprint = queryFingerprint(rawQuery);
  const page = query.pageToken !== undefined ? decodePageToken(query.pageToken, fingerprint) : undefined;
  const snapshot = page?.s ?? calendar.changeCounter;
  const selected =
    query.syncToken !== undefined
      ? changedEntries(calendar, query, decodeSyncToken(calendar, query.syncToken), snapshot, nowMs)
      : currentEntries(calendar, query, nowMs);
  selected.sort((a, b) => compareKeys(a.key, b.key));
  const rest = page ? selected.filter((entry) => compareKeys(entry.key, page.a) > 0) : selected;
  const items = rest.slice(0, query.maxResults);
  const last = items[items.length - 1];
  if (rest.length > items.length && last) {
    return {
      items: items.map((entry) => entry.item),
      nextPageToken: encodePageToken({ q: fingerprint, s: snapshot, a: last.key }),
    };
  }
  return { items: items.map((entry) => entry.item), nextSyncToken: encodeSyncToken(calendar, snapshot) };
}

type Entry = { key: SortKey; item: Record<string, unknown> };

/**
 * A full listing. Without singleEvents: one-off events, series and their exceptions as
 * stored (a cancelled exception is listed even without showDeleted, as Google documents).
 * With singleEvents: one-off events and the instances of each series, never the series.
 */
function currentEntries(calendar: CalendarRecord, query: ListQuery, nowMs: number): Entry[] {
  const entries: Entry[] = [];
  for (const stored of Object.values(calendar.events)) {
    const event = stored.resource;
    if (query.singleEvents && isSeries(event)) {
      const until = query.timeMax ?? horizonOf(event, calendar, nowMs);
      for (const { resource, occurrence } of seriesInstances(calendar, event, until)) {
        if (!matches(calendar, resource, query, { showCancelled: query.showDeleted })) continue;
        entries.push({
          key: sortKey(calendar, stored, resource, query, occurrence.startMs),
          item: apiEvent(resource),
        });
      }
      continue;
    }
    if (query.singleEvents && isException(event)) continue; // listed in its series' place
    const showCancelled = query.showDeleted || (isException(event) && !query.singleEvents);
    const inWindow = isSeries(event)
      ? seriesMeetsWindow(calendar, event, query, nowMs)
      : withinWindow(calendar, event, query);
    if (!inWindow || !matches(calendar, event, query, { showCancelled, windowChecked: true })) continue;
    entries.push({ key: sortKey(calendar, stored, event, query, 0), item: apiEvent(event) });
  }
  return entries;
}

/**
 * An incremental listing: every entry changed since the token, cancelled ones included.
 * With singleEvents a changed series comes as its instances; a changed instance as itself.
 */
function changedEntries(
  calendar: CalendarRecord,
  query: ListQuery,
  since: number,
  snapshot: number,
  nowMs: number,
): Entry[] {
  const entries: Entry[] = [];
  const changed = Object.values(calendar.events).filter(
    (stored) => stored.changeSeq > since && stored.changeSeq <= snapshot,
  );
  // A changed series brings all its instances: its changed exceptions come with them, once.
  const expanded = new Set(
    query.singleEvents
      ? changed.filter(({ resource }) => isSeries(resource)).map(({ resource }) => resource.id)
      : [],
  );
  for (const stored of changed) {
    const event = stored.resource;
    if (query.eventTypes && !query.eventTypes.includes(eventTypeOf(event))) continue;
    if (event.recurringEventId !== undefined && expanded.has(event.recurringEventId)) continue;
    if (query.singleEvents && isSeries(event)) {
      for (const { resource, occurrence } of seriesInstances(
        calendar,
        event,
        horizonOf(event, calendar, nowMs),
      )) {
        entries.push({
          key: [stored.changeSeq, occurrence.startMs, resource.id],
          item: incrementalForm(resource),
        });
      }
      continue;
    }
    entries.push({ key: [stored.changeSeq, 0, event.id], item: incrementalForm(event) });
  }
  return entries;
}

/**
 * `events.instances`: the instances of one series (exceptions in place), paged; cancelled
 * ones only with showDeleted. A one-off event has no instances here (Google answers it
 * with the event itself; the service never asks).
 */
export function listInstances(
  calendar: CalendarRecord,
  seriesId: string,
  rawQuery: Record<string, unknown>,
  nowMs: number,
): EventsPage {
  const stored = calendar.events[seriesId];
  if (!stored) throw notFound();
  const query = parseListQuery(rawQuery);
  const originalStart =
    typeof rawQuery.originalStart === 'string' ? parseTimestamp(rawQuery.originalStart) : undefined;
  const fingerprint = queryFingerprint(rawQuery);
  const page = query.pageToken !== undefined ? decodePageToken(query.pageToken, fingerprint) : undefined;
  const series = stored.resource;
  const instances = isSeries(series)
    ? seriesInstances(calendar, series, query.timeMax ?? horizonOf(series, calendar, nowMs))
    : [];
  const selected = instances
    .filter(({ resource }) => matches(calendar, resource, query, { showCancelled: query.showDeleted }))
    .filter(({ occurrence }) => originalStart === undefined || occurrence.startMs === originalStart)
    .map(({ resource, occurrence }) => ({ key: [occurrence.startMs] as SortKey, item: apiEvent(resource) }));
  const rest = page ? selected.filter((entry) => compareKeys(entry.key, page.a) > 0) : selected;
  const items = rest.slice(0, query.maxResults);
  const last = items[items.length - 1];
  return {
    items: items.map((entry) => entry.item),
    ...(rest.length > items.length && last
      ? { nextPageToken: encodePageToken({ q: fingerprint, s: calendar.changeCounter, a: last.key }) }
      : {}),
  };
}

export function apiEvent(resource: EventResource): Record<string, unknown> {
  return { kind: 'calendar#event', ...resource, eventType: eventTypeOf(resource) };
}

/**
 * In an incremental sync a deleted event is only guaranteed its id and status; a cancelled
 * instance of a series also its recurringEventId and originalStartTime.
 */
function incrementalForm(resource: EventResource): Record<string, unknown> {
  if (resource.status !== 'cancelled') return apiEvent(resource);
  return {
    kind: 'calendar#event',
    etag: resource.etag,
    id: resource.id,
    status: 'cancelled',
    ...(resource.recurringEventId !== undefined
      ? { recurringEventId: resource.recurringEventId, originalStartTime: resource.originalStartTime }
      : {}),
  };
}

function sortKey(
  calendar: CalendarRecord,
  stored: StoredEvent,
  event: EventResource,
  query: ListQuery,
  instanceStartMs: number,
): SortKey {
  if (query.orderBy === 'startTime') return [instantOf(event.start, calendar.timeZone), event.id];
  if (query.orderBy === 'updated') return [Date.parse(event.updated), event.id];
  return [stored.createdSeq, instanceStartMs, event.id];
}

/** timeMin bounds the end and timeMax the start, both exclusive. */
function withinWindow(calendar: CalendarRecord, event: EventResource, query: ListQuery): boolean {
  if (query.timeMin !== undefined && instantOf(event.end, calendar.timeZone) <= query.timeMin) return false;
  if (query.timeMax !== undefined && instantOf(event.start, calendar.timeZone) >= query.timeMax) return false;
  return true;
}

/** A series is in a window when one of its instances is. */
function seriesMeetsWindow(calendar: CalendarRecord, series: EventResource, query: ListQuery, nowMs: number) {
  if (query.timeMin === undefined && query.timeMax === undefined) return true;
  const until = query.timeMax ?? horizonOf(series, calendar, nowMs);
  return seriesInstances(calendar, series, until).some(({ resource }) =>
    withinWindow(calendar, resource, query),
  );
}

function matches(
  calendar: CalendarRecord,
  event: EventResource,
  query: ListQuery,
  options: { showCancelled: boolean; windowChecked?: boolean },
): boolean {
  const updated = Date.parse(event.updated);
  if (event.status === 'cancelled') {
    // updatedMin brings back what was deleted since, whatever showDeleted says.
    const deletedSince = query.updatedMin !== undefined && updated >= query.updatedMin;
    if (!options.showCancelled && !deletedSince) return false;
  }
  if (query.updatedMin !== undefined && updated < query.updatedMin) return false;
  if (!options.windowChecked && !withinWindow(calendar, event, query)) return false;
  if (query.eventTypes && !query.eventTypes.includes(eventTypeOf(event))) return false;
  if (query.iCalUID !== undefined && event.iCalUID !== query.iCalUID) return false;
  const privateProps = event.extendedProperties?.private ?? {};
  const sharedProps = event.extendedProperties?.shared ?? {};
  if (!query.privateExtendedProperty.every(([key, value]) => privateProps[key] === value)) return false;
  if (!query.sharedExtendedProperty.every(([key, value]) => sharedProps[key] === value)) return false;
  if (query.q !== undefined && !matchesText(event, query.q)) return false;
  return true;
}

function matchesText(event: EventResource, q: string): boolean {
  const haystack = [
    event.summary,
    event.description,
    event.location,
    event.organizer.email,
    ...(event.attendees ?? []).flatMap((attendee) => [attendee.email, attendee.displayName]),
  ]
    .filter((part): part is string => typeof part === 'string')
    .join(' ')
    .toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term.length > 0)
    .every((term) => haystack.includes(term));
}
