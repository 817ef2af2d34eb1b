import { invalid, timeRangeEmpty } from './errors';
import { instantOf, parseTimestamp } from './event-time';
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
  if (syncToken !== undefined) parsed.syncToken = syncToken;
  return parsed;
}

export function listEvents(
  calendar: CalendarRecord,
  query: ListQuery,
  rawQuery: Record<string, unknown>,
): EventsPage {
  const fingerprint = queryFingerprint(rawQuery);
  const page = query.pageToken !== undefined ? decodePageToken(query.pageToken, fingerprint) : undefined;
  const snapshot = page?.s ?? calendar.changeCounter;
  const events = Object.values(calendar.events);

  let selected: Array<{ key: SortKey; item: Record<string, unknown> }>;
  if (query.syncToken !== undefined) {
    const since = decodeSyncToken(calendar, query.syncToken);
    selected = events
      .filter((stored) => stored.changeSeq > since && stored.changeSeq <= snapshot)
      .map((stored) => ({ key: [stored.changeSeq], item: incrementalForm(stored.resource) }));
  } else {
    selected = events
      .filter((stored) => matches(calendar, stored.resource, query))
      .map((stored) => ({ key: sortKey(calendar, stored, query), item: apiEvent(stored.resource) }));
  }
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

export function apiEvent(resource: EventResource): Record<string, unknown> {
  return { kind: 'calendar#event', ...resource };
}

/** In an incremental sync a deleted event is only guaranteed its id and status. */
function incrementalForm(resource: EventResource): Record<string, unknown> {
  if (resource.status !== 'cancelled') return apiEvent(resource);
  return { kind: 'calendar#event', etag: resource.etag, id: resource.id, status: 'cancelled' };
}

function sortKey(calendar: CalendarRecord, stored: StoredEvent, query: ListQuery): SortKey {
  if (query.orderBy === 'startTime') {
    return [instantOf(stored.resource.start, calendar.timeZone), stored.resource.id];
  }
  if (query.orderBy === 'updated') return [Date.parse(stored.resource.updated), stored.resource.id];
  return [stored.createdSeq, stored.resource.id];
}

function matches(calendar: CalendarRecord, event: EventResource, query: ListQuery): boolean {
  const updated = Date.parse(event.updated);
  if (event.status === 'cancelled') {
    // updatedMin brings back what was deleted since, whatever showDeleted says.
    const deletedSince = query.updatedMin !== undefined && updated >= query.updatedMin;
    if (!query.showDeleted && !deletedSince) return false;
  }
  if (query.updatedMin !== undefined && updated < query.updatedMin) return false;
  // timeMin bounds the end and timeMax the start, both exclusive.
  if (query.timeMin !== undefined && instantOf(event.end, calendar.timeZone) <= query.timeMin) return false;
  if (query.timeMax !== undefined && instantOf(event.start, calendar.timeZone) >= query.timeMax) return false;
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
