// Calendar alone: the package's index loads all of Google's ~300 APIs (seconds of type
// checking in every build, and tens of MB of memory in the service) for this one.
import { calendar, type calendar_v3 } from 'googleapis/build/src/apis/calendar';
import type { OAuth2Client } from 'google-auth-library';
import { busyIntervalsOf, parseAnswer, WatchAnswerSchema, type BusyInterval } from './calendar-answers';
import { toGoogleApiError } from './errors';
import { withGoogleRetry, type RetryOptions } from './retry';

export type CalendarEvent = calendar_v3.Schema$Event;
export type SendUpdates = 'all' | 'externalOnly' | 'none';

interface PageQuery {
  calendarId: string;
  pageToken?: string;
  maxResults?: number;
  showDeleted?: boolean;
  singleEvents?: boolean;
}

/**
 * Either an incremental sync (only the token; Google answers 400 if it is combined with a
 * time window or a property filter) or a window/filter query.
 */
export type ListEventsQuery =
  | (PageQuery & { syncToken: string })
  | (PageQuery & {
      syncToken?: undefined;
      timeMin?: Date;
      timeMax?: Date;
      /** `key=value` entries; all must match. */
      privateExtendedProperty?: string[];
      /** Only events of these types (`default`, `outOfOffice`, …); unset: every type. */
      eventTypes?: readonly string[];
    });

export interface EventsPage {
  items: CalendarEvent[];
  /** On every page but the last. */
  nextPageToken?: string;
  /** Only on the last page. */
  nextSyncToken?: string;
  /** The calendar's own time zone: the zone of its all-day events' dates. */
  timeZone?: string;
}

export interface WatchRequest {
  /** Channel id: unique per project, ≤ 64 chars (a UUID). */
  id: string;
  /** Echoed back in X-Goog-Channel-Token; lets the webhook authenticate Google. */
  token: string;
  address: string;
  ttlSeconds: number;
}

export interface CalendarClient {
  /** Always with conferenceDataVersion=1: at version 0 Google silently drops the Meet request. */
  insertEvent(
    calendarId: string,
    event: CalendarEvent & { id: string },
    options: { sendUpdates: SendUpdates },
  ): Promise<CalendarEvent>;
  getEvent(calendarId: string, eventId: string): Promise<CalendarEvent>;
  patchEvent(
    calendarId: string,
    eventId: string,
    patch: CalendarEvent,
    options: { sendUpdates: SendUpdates; ifMatchEtag?: string },
  ): Promise<CalendarEvent>;
  deleteEvent(
    calendarId: string,
    eventId: string,
    options: { sendUpdates: SendUpdates },
  ): Promise<'deleted' | 'alreadyDeleted'>;
  listEventsPage(query: ListEventsQuery): Promise<EventsPage>;
  /**
   * Yields every page of a query (the nightly check works page by page); the last page
   * carries `nextSyncToken`, which is also the generator's return value. With `retry`, each
   * page is retried on its own, so a hiccup on page 7 does not restart the listing.
   */
  listAllEvents(
    query: ListEventsQuery,
    options?: { retry?: RetryOptions },
  ): AsyncGenerator<EventsPage, string | undefined>;
  freeBusy(calendarId: string, timeMin: Date, timeMax: Date): Promise<{ busy: BusyInterval[] }>;
  watchEvents(calendarId: string, request: WatchRequest): Promise<{ resourceId: string; expiration: Date }>;
  /** A channel Google no longer knows (404) counts as stopped. */
  stopChannel(id: string, resourceId: string): Promise<'stopped' | 'unknownChannel'>;
}

export interface CalendarClientConfig {
  auth: OAuth2Client;
  /** From googleEndpoints(): Google's or the emulator's. */
  rootUrl: string;
  timeoutMs: number;
}

/**
 * A thin typed wrapper over googleapis Calendar v3. Every call makes exactly one attempt
 * (plus one after a fresh access token on 401) and throws a classified GoogleApiError.
 *
 * Retries happen only in withGoogleRetry, never inside gaxios (`retry: false`): gaxios
 * would retry GETs, PUTs and DELETEs three times on its own but never POSTs, with no jitter
 * and no overall budget, and underneath withGoogleRetry each of its attempts would become
 * four requests. One place for retries keeps the worst case bounded and visible, and lets
 * the caller say which writes are safe to repeat (insert is, thanks to the client-chosen id).
 */
export function createCalendarClient(config: CalendarClientConfig): CalendarClient {
  const { auth } = config;
  const api = calendar({
    version: 'v3',
    auth,
    rootUrl: config.rootUrl,
    timeout: config.timeoutMs,
    retry: false,
    // Node's fetch, as for the OAuth client (gaxios' node-fetch import breaks under jest).
    fetchImplementation: fetch,
  });

  async function call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = toGoogleApiError(error, operation);
      // An access token Google stopped accepting before its expiry (e.g. revoked): drop it
      // so the client refreshes once — which either works or surfaces `revoked`. Another call
      // on this client may have dropped it already; this one still tries once, or it would
      // report `unauthorized` where the grant is in fact gone.
      if (failure.failure.kind !== 'unauthorized' || !dropAccessToken(auth)) throw failure;
      try {
        return await request();
      } catch (retryError) {
        throw toGoogleApiError(retryError, operation);
      }
    }
  }

  const listEventsPage = (query: ListEventsQuery): Promise<EventsPage> =>
    call('calendar.events.list', async () => {
      const { data } = await api.events.list(listParams(query));
      return {
        items: data.items ?? [],
        ...(data.nextPageToken ? { nextPageToken: data.nextPageToken } : {}),
        ...(data.nextSyncToken ? { nextSyncToken: data.nextSyncToken } : {}),
        ...(data.timeZone ? { timeZone: data.timeZone } : {}),
      };
    });

  return {
    insertEvent: (calendarId, event, { sendUpdates }) =>
      call('calendar.events.insert', async () => {
        const { data } = await api.events.insert({
          calendarId,
          conferenceDataVersion: 1,
          sendUpdates,
          requestBody: event,
        });
        return data;
      }),

    getEvent: (calendarId, eventId) =>
      call('calendar.events.get', async () => (await api.events.get({ calendarId, eventId })).data),

    patchEvent: (calendarId, eventId, patch, { sendUpdates, ifMatchEtag }) =>
      call('calendar.events.patch', async () => {
        const { data } = await api.events.patch(
          { calendarId, eventId, conferenceDataVersion: 1, sendUpdates, requestBody: patch },
          ifMatchEtag ? { headers: { 'If-Match': ifMatchEtag } } : {},
        );
        return data;
      }),

    deleteEvent: async (calendarId, eventId, { sendUpdates }) => {
      try {
        await call('calendar.events.delete', () => api.events.delete({ calendarId, eventId, sendUpdates }));
        return 'deleted';
      } catch (error) {
        // Google keeps a deleted event and answers a second delete with 410 `deleted`.
        const failure = toGoogleApiError(error, 'calendar.events.delete').failure;
        if (failure.kind === 'gone' && failure.reason === 'deleted') return 'alreadyDeleted';
        throw error;
      }
    },

    listEventsPage,

    listAllEvents: async function* (query, options = {}) {
      let pageToken = query.pageToken;
      for (;;) {
        const pageQuery = { ...query, ...(pageToken ? { pageToken } : {}) };
        const fetchPage = () => listEventsPage(pageQuery);
        const page = options.retry
          ? await withGoogleRetry('calendar.events.list', fetchPage, options.retry)
          : await fetchPage();
        yield page;
        if (!page.nextPageToken) return page.nextSyncToken;
        // A token that does not move would loop forever; Google never does it, a bug might.
        if (page.nextPageToken === pageToken)
          throw new Error('events.list returned the same page token twice');
        pageToken = page.nextPageToken;
      }
    },

    freeBusy: (calendarId, timeMin, timeMax) =>
      call('calendar.freebusy.query', async () => {
        const { data } = await api.freebusy.query({
          requestBody: {
            timeMin: timeMin.toISOString(),
            timeMax: timeMax.toISOString(),
            items: [{ id: calendarId }],
          },
        });
        return { busy: busyIntervalsOf(data, calendarId, 'calendar.freebusy.query') };
      }),

    watchEvents: (calendarId, { id, token, address, ttlSeconds }) =>
      call('calendar.events.watch', async () => {
        const { data } = await api.events.watch({
          calendarId,
          requestBody: { id, token, address, type: 'web_hook', params: { ttl: String(ttlSeconds) } },
        });
        const answer = parseAnswer(WatchAnswerSchema, data, 'calendar.events.watch');
        return { resourceId: answer.resourceId, expiration: new Date(answer.expiration) };
      }),

    stopChannel: async (id, resourceId) => {
      try {
        await call('calendar.channels.stop', () => api.channels.stop({ requestBody: { id, resourceId } }));
        return 'stopped';
      } catch (error) {
        if (toGoogleApiError(error, 'calendar.channels.stop').failure.kind === 'notFound')
          return 'unknownChannel';
        throw error;
      }
    },
  };
}

function listParams(query: ListEventsQuery): calendar_v3.Params$Resource$Events$List {
  const common = {
    calendarId: query.calendarId,
    ...(query.pageToken ? { pageToken: query.pageToken } : {}),
    ...(query.maxResults !== undefined ? { maxResults: query.maxResults } : {}),
    ...(query.showDeleted !== undefined ? { showDeleted: query.showDeleted } : {}),
    ...(query.singleEvents !== undefined ? { singleEvents: query.singleEvents } : {}),
  };
  if (query.syncToken !== undefined) return { ...common, syncToken: query.syncToken };
  return {
    ...common,
    ...(query.timeMin ? { timeMin: query.timeMin.toISOString() } : {}),
    ...(query.timeMax ? { timeMax: query.timeMax.toISOString() } : {}),
    ...(query.privateExtendedProperty?.length
      ? { privateExtendedProperty: query.privateExtendedProperty }
      : {}),
    ...(query.eventTypes?.length ? { eventTypes: [...query.eventTypes] } : {}),
  };
}

/** True when there is a refresh token to get a new access token with (the old one, if any, is dropped). */
function dropAccessToken(auth: OAuth2Client): boolean {
  const { refresh_token: refreshToken } = auth.credentials;
  if (!refreshToken) return false;
  auth.setCredentials({ refresh_token: refreshToken });
  return true;
}
