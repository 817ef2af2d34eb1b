import express, { type Request, type Response, type Router } from 'express';
import type { EmulatorContext } from './context';
import {
  authError,
  defaultReason,
  injectedApiError,
  insufficientScopes,
  invalid,
  notFound,
  required,
} from './errors';
import { parseEventInput, sendUpdatesSchema, type SendUpdates } from './event-input';
import { moveEventToCalendar } from './event-move';
import { apiEvent, listEvents, listInstances, parseListQuery } from './events-query';
import {
  deleteEvent,
  findEvent,
  insertEvent,
  patchEvent,
  updateEvent,
  type WriteContext,
} from './events-store';
import { freeBusyBodySchema, freeBusyQuery } from './freebusy';
import { bearerToken, field, originOf, sendApiError, sendFailure } from './http';
import { authenticate, type AuthenticatedToken } from './oauth-store';
import { invalidateSyncTokens } from './sync-tokens';
import { watchBodySchema } from './push';
import { normalizeEmail, type CalendarRecord } from './state';

/** Calendar API v3 under `/calendar/v3`: the events the service uses, watch, channels.stop, freeBusy. */

const AUTH = 'https://www.googleapis.com/auth/';
/** Scopes that allow each kind of call, as the Calendar API reference lists them. */
const SCOPES = {
  read: ['calendar', 'calendar.readonly', 'calendar.events', 'calendar.events.readonly'],
  write: ['calendar', 'calendar.events'],
  freebusy: ['calendar', 'calendar.readonly', 'calendar.freebusy', 'calendar.events.freebusy'],
} as const;

type Handler = (req: Request, res: Response, auth: AuthenticatedToken) => void;

export function calendarRoutes(context: EmulatorContext): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  const writeContext = (): WriteContext => ({
    state: context.state,
    nowMs: context.clock.nowMs(),
    notifyChange: (calendar) => context.push.notifyChange(calendar),
    conferenceRequested: (calendar, requestId) => context.meet.schedule(calendar, requestId),
  });

  /** Fault injection, then authentication and scope check, then the call; errors as Google's JSON. */
  const operation =
    (name: string, access: keyof typeof SCOPES, handler: Handler) => async (req: Request, res: Response) => {
      try {
        const failure = await context.faults.before(name);
        if (failure) {
          throw injectedApiError(
            failure.status,
            failure.reason ?? defaultReason(failure.status),
            failure.message,
          );
        }
        const token = bearerToken(req);
        const auth = token ? authenticate(context.state, context.clock.nowMs(), token) : undefined;
        if (!auth) throw authError();
        if (!SCOPES[access].some((scope) => auth.grant.scopes.includes(AUTH + scope)))
          throw insufficientScopes();
        handler(req, res, auth);
      } catch (failure) {
        sendFailure(res, failure, context.logger);
      }
    };

  const calendarOf = (req: Request, auth: AuthenticatedToken): CalendarRecord => {
    const requested = String(req.params.calendarId ?? '');
    const email = requested === 'primary' ? auth.user.email : normalizeEmail(requested);
    const calendar = email === auth.user.email ? context.state.calendars[email] : undefined;
    if (!calendar) throw notFound();
    return calendar;
  };

  const eventId = (req: Request) => String(req.params.eventId ?? '');

  router.post(
    '/calendars/:calendarId/events/watch',
    operation('events.watch', 'read', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      const body = watchBodySchema.safeParse(req.body ?? {});
      if (!body.success) throw invalid('Invalid channel.');
      const resourceUri = `${originOf(req)}/calendar/v3/calendars/${encodeURIComponent(String(req.params.calendarId))}/events?alt=json`;
      const channel = context.push.watch(calendar, body.data, resourceUri);
      res.json({
        kind: 'api#channel',
        id: channel.id,
        resourceId: channel.resourceId,
        resourceUri: channel.resourceUri,
        ...(channel.token !== undefined ? { token: channel.token } : {}),
        expiration: String(channel.expiration),
      });
    }),
  );

  router.get(
    '/calendars/:calendarId/events',
    operation('events.list', 'read', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      const query = req.query as Record<string, unknown>;
      const parsed = parseListQuery(query);
      // Google may expire sync tokens at will; the fault's draw does so on a first page.
      if (parsed.syncToken !== undefined && parsed.pageToken === undefined) {
        if (context.faults.shouldInvalidateSyncToken()) invalidateSyncTokens(calendar);
      }
      const page = listEvents(calendar, parsed, query, context.clock.nowMs());
      const updated = Object.values(calendar.events).reduce(
        (latest, stored) => (stored.resource.updated > latest ? stored.resource.updated : latest),
        new Date(0).toISOString(),
      );
      res.json({
        kind: 'calendar#events',
        etag: `"${calendar.changeCounter}"`,
        summary: calendar.owner,
        description: '',
        updated,
        timeZone: calendar.timeZone,
        accessRole: 'owner',
        defaultReminders: [],
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        ...(page.nextSyncToken ? { nextSyncToken: page.nextSyncToken } : {}),
        items: page.items,
      });
    }),
  );

  router.post(
    '/calendars/:calendarId/events',
    operation('events.insert', 'write', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      const event = insertEvent(writeContext(), calendar, parseEventInput(req.body), writeOptions(req));
      res.json(apiEvent(event));
    }),
  );

  router.get(
    '/calendars/:calendarId/events/:eventId/instances',
    operation('events.instances', 'read', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      const query = req.query as Record<string, unknown>;
      const page = listInstances(calendar, eventId(req), query, context.clock.nowMs());
      res.json({
        kind: 'calendar#events',
        etag: `"${calendar.changeCounter}"`,
        summary: calendar.owner,
        updated: new Date(context.clock.nowMs()).toISOString(),
        timeZone: calendar.timeZone,
        accessRole: 'owner',
        defaultReminders: [],
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        items: page.items,
      });
    }),
  );

  router.get(
    '/calendars/:calendarId/events/:eventId',
    operation('events.get', 'read', (req, res, auth) => {
      const { resource } = findEvent(calendarOf(req, auth), eventId(req));
      if (req.get('if-none-match') === resource.etag) return void res.status(304).end();
      res.json(apiEvent(resource));
    }),
  );

  router.patch(
    '/calendars/:calendarId/events/:eventId',
    operation('events.patch', 'write', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      const event = patchEvent(
        writeContext(),
        calendar,
        eventId(req),
        parseEventInput(req.body),
        writeOptions(req),
      );
      res.json(apiEvent(event));
    }),
  );

  router.put(
    '/calendars/:calendarId/events/:eventId',
    operation('events.update', 'write', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      const event = updateEvent(
        writeContext(),
        calendar,
        eventId(req),
        parseEventInput(req.body),
        writeOptions(req),
      );
      res.json(apiEvent(event));
    }),
  );

  router.delete(
    '/calendars/:calendarId/events/:eventId',
    operation('events.delete', 'write', (req, res, auth) => {
      const calendar = calendarOf(req, auth);
      deleteEvent(writeContext(), calendar, eventId(req), {
        sendUpdates: sendUpdatesOf(req),
        ifMatch: req.get('if-match'),
      });
      res.status(204).end();
    }),
  );

  // The destination is any calendar the emulator knows: it has no sharing settings to check.
  router.post(
    '/calendars/:calendarId/events/:eventId/move',
    operation('events.move', 'write', (req, res, auth) => {
      const source = calendarOf(req, auth);
      const wanted = field(req.query, 'destination');
      if (!wanted) throw required('Required parameter: destination');
      const destination =
        context.state.calendars[wanted === 'primary' ? auth.user.email : normalizeEmail(wanted)];
      if (!destination) throw notFound();
      const event = moveEventToCalendar(
        writeContext(),
        source,
        destination,
        eventId(req),
        sendUpdatesOf(req),
      );
      res.json(apiEvent(event));
    }),
  );

  router.post(
    '/channels/stop',
    operation('channels.stop', 'read', (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      context.push.stop({ id: field(body, 'id'), resourceId: field(body, 'resourceId') });
      res.status(204).end();
    }),
  );

  router.post(
    '/freeBusy',
    operation('freebusy.query', 'freebusy', (req, res, auth) => {
      const body = freeBusyBodySchema.safeParse(req.body ?? {});
      if (!body.success) throw invalid('Invalid free/busy request.');
      const own = context.state.calendars[auth.user.email];
      const resolve = (id: string) =>
        id === 'primary' || normalizeEmail(id) === auth.user.email ? own : undefined;
      res.json(freeBusyQuery(body.data, resolve));
    }),
  );

  router.use((_req: Request, res: Response) => sendApiError(res, notFound()));
  return router;
}

function writeOptions(req: Request) {
  const version = field(req.query, 'conferenceDataVersion') ?? '0';
  if (version !== '0' && version !== '1') throw invalid(`Invalid conferenceDataVersion: ${version}`);
  return {
    sendUpdates: sendUpdatesOf(req),
    conferenceDataVersion: Number(version),
    ifMatch: req.get('if-match'),
    origin: originOf(req),
  };
}

function sendUpdatesOf(req: Request): SendUpdates {
  const value = field(req.query, 'sendUpdates');
  if (value === undefined) return field(req.query, 'sendNotifications') === 'true' ? 'all' : 'none';
  const parsed = sendUpdatesSchema.safeParse(value);
  if (!parsed.success) throw invalid(`Invalid sendUpdates value: ${value}`);
  return parsed.data;
}
