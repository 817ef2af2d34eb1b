import type { Knex } from 'knex';
import type { ResearcherCalendar } from '../connections/google-access';
import type { CalendarEvent } from '../google';
import {
  BUSY_EVENT_TYPES,
  toBusyEvent,
  toTitledBusyEvent,
  type BusyEvent,
  type TitledBusyEvent,
} from './busy-events';
import { withoutHostedCopies } from './hosted-copies';

/**
 * A researcher's calendar events, cached in PostgreSQL (shared by every instance) so the
 * booking page does not call Google on every view. A push notification for the calendar
 * invalidates it; the short TTL bounds the damage of a notification Google never sent.
 */
export const BUSY_CACHE_TTL_MS = 5 * 60_000;
const FETCH_SLACK_MS = 86_400_000;

interface CacheRow {
  calendar_id: string;
  range_start: Date;
  range_end: Date;
  busy: BusyEvent[];
  fetched_at: Date;
}

/**
 * Busy events overlapping [from, to): from the cache when it covers the range and is fresh,
 * else from Google (the whole range at once, paged) and stored.
 */
export async function loadBusyEvents(
  knex: Knex,
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
  now = new Date(),
): Promise<BusyEvent[]> {
  const cached = await cachedBusyEvents(knex, calendar, from, to, now);
  if (cached) return withoutHostedCopies(knex, calendar.researcherId, cached);
  // The database's clock, as invalidation uses it: two clocks could let a stale fetch win.
  const fetchStartedAt = await databaseNow(knex);
  // A day more than asked: the next view's window ends a little later (it is "now + horizon")
  // and should still be served from this fetch.
  const fetchTo = new Date(to.getTime() + FETCH_SLACK_MS);
  const events = await fetchBusyEvents(calendar, from, fetchTo);
  await storeBusyEvents(knex, calendar, from, fetchTo, events, fetchStartedAt);
  return withoutHostedCopies(knex, calendar.researcherId, overlapping(events, from, to));
}

/**
 * Busy events overlapping a short span (the one slot being booked): from the cache when it
 * covers the span, else from Google for that span only — and not stored: a narrow answer
 * would replace the horizon-wide one the slot lists are served from.
 */
export async function loadBusyEventsAround(
  knex: Knex,
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
  now = new Date(),
): Promise<BusyEvent[]> {
  const cached = await cachedBusyEvents(knex, calendar, from, to, now);
  const events = cached ?? overlapping(await fetchBusyEvents(calendar, from, to), from, to);
  return withoutHostedCopies(knex, calendar.researcherId, events);
}

/**
 * The cached events overlapping [from, to) when the cache covers that range and is fresh.
 * PostgreSQL picks them out of the stored list, so a short range does not read (and parse)
 * a whole busy calendar's horizon.
 */
async function cachedBusyEvents(
  knex: Knex,
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
  now: Date,
): Promise<BusyEvent[] | undefined> {
  const result = await knex.raw<{ rows: CacheRow[] }>(
    `SELECT calendar_id, range_start, range_end, fetched_at,
            COALESCE((SELECT jsonb_agg(event ORDER BY position)
                        FROM jsonb_array_elements(busy) WITH ORDINALITY AS listed(event, position)
                       WHERE (event->>'allDay')::boolean
                          OR ((event->>'end')::timestamptz > ? AND (event->>'start')::timestamptz < ?)),
                     '[]'::jsonb) AS busy
       FROM freebusy_cache
      WHERE researcher_id = ? AND range_start <= ? AND range_end >= ?`,
    [from, to, calendar.researcherId, from, to],
  );
  const cached = result.rows[0];
  if (
    cached &&
    cached.calendar_id === calendar.calendarId &&
    now.getTime() - cached.fetched_at.getTime() < BUSY_CACHE_TTL_MS
  ) {
    return cached.busy;
  }
  return undefined;
}

/** Straight from Google, no cache: the re-check right before an event is inserted. */
export async function fetchBusyEvents(
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
): Promise<BusyEvent[]> {
  return listBusy(calendar, from, to, toBusyEvent);
}

/**
 * Straight from Google with each event's title, for the researcher asking why a time is
 * not offered. Never cached: titles are not kept in the busy cache.
 */
export async function fetchTitledBusyEvents(
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
): Promise<TitledBusyEvent[]> {
  return listBusy(calendar, from, to, toTitledBusyEvent);
}

async function listBusy<E extends BusyEvent>(
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
  convert: (event: CalendarEvent) => E | undefined,
): Promise<E[]> {
  const events: E[] = [];
  const pages = calendar.client.listAllEvents({
    calendarId: calendar.calendarId,
    timeMin: from,
    timeMax: to,
    // Each instance of a recurring meeting on its own, cancelled instances left out.
    singleEvents: true,
    eventTypes: BUSY_EVENT_TYPES,
    maxResults: 2500,
  });
  for await (const page of pages) {
    for (const item of page.items) {
      const busy = convert(item);
      // An all-day event's dates mean days in its calendar's zone, which Google tells.
      if (busy) events.push(busy.allDay && page.timeZone ? { ...busy, zone: page.timeZone } : busy);
    }
  }
  return events;
}

/**
 * Writes the fetched events unless the cache was invalidated after the fetch began: the
 * guard on fetched_at keeps a slow fetch from overwriting what a notification just declared
 * stale.
 */
async function storeBusyEvents(
  knex: Knex,
  calendar: ResearcherCalendar,
  from: Date,
  to: Date,
  events: BusyEvent[],
  fetchStartedAt: Date,
): Promise<void> {
  await knex.raw(
    `INSERT INTO freebusy_cache (researcher_id, calendar_id, range_start, range_end, busy, fetched_at)
     VALUES (?, ?, ?, ?, ?::jsonb, ?)
     ON CONFLICT (researcher_id, calendar_id) DO UPDATE
       SET range_start = excluded.range_start, range_end = excluded.range_end,
           busy = excluded.busy, fetched_at = excluded.fetched_at
       WHERE freebusy_cache.fetched_at <= excluded.fetched_at`,
    [calendar.researcherId, calendar.calendarId, from, to, JSON.stringify(events), fetchStartedAt],
  );
}

/**
 * Called when Google says the calendar changed. The row stays, with an empty range (so
 * nothing is served from it) and fetched_at = now: a fetch that began before this moment
 * cannot store its answer afterwards.
 */
export async function invalidateBusyCache(db: Knex | Knex.Transaction, researcherId: string): Promise<void> {
  await db('freebusy_cache')
    .where({ researcher_id: researcherId })
    .update({ range_end: db.ref('range_start'), busy: '[]', fetched_at: db.fn.now() });
}

async function databaseNow(knex: Knex): Promise<Date> {
  const result = await knex.raw<{ rows: { now: Date }[] }>('SELECT now() AS now');
  return result.rows[0]?.now ?? new Date();
}

function overlapping(events: BusyEvent[], from: Date, to: Date): BusyEvent[] {
  // All-day events are kept whatever their dates: their zone is applied later, per study.
  return events.filter(
    (event) =>
      event.allDay || (Date.parse(event.end) > from.getTime() && Date.parse(event.start) < to.getTime()),
  );
}
