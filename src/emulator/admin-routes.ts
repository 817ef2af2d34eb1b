import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from './context';
import { ApiError, invalid, notFound } from './errors';
import { parseEventInput, sendUpdatesSchema } from './event-input';
import { isValidTimeZone } from './event-time';
import { moveEventToCalendar } from './event-move';
import { apiEvent } from './events-query';
import {
  deleteEvent,
  insertEvent,
  moveEvent,
  patchEvent,
  respondToEvent,
  type WriteContext,
} from './events-store';
import { faultInputSchema } from './faults';
import { originOf, sendFailure } from './http';
import { expireRefreshTokens, normalizeScopes, revokeUser } from './oauth-store';
import { normalizeEmail, type CalendarRecord, type EventDateTime } from './state';
import { snapshot } from './state-view';
import { invalidateSyncTokens } from './sync-tokens';
import { ensureUser, findUser } from './users';

/**
 * `/_emulator`: acting as the people who use Google Calendar directly, and controlling the
 * emulator itself. Calendar changes go through the same store as API calls, so watchers are
 * notified exactly alike. Answers JSON; a plain HTML form post is redirected back to the page.
 */

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const timeInput = z.preprocess(
  emptyToUndefined,
  z.union([
    z.string(),
    z.object({
      dateTime: z.string().optional(),
      date: z.string().optional(),
      timeZone: z.string().optional(),
    }),
  ]),
);
const optionalTimeInput = z.preprocess(emptyToUndefined, timeInput.optional());
const optionalText = z.preprocess(emptyToUndefined, z.string().optional());
const optionalSendUpdates = z.preprocess(emptyToUndefined, sendUpdatesSchema.optional());

const userSchema = z.object({ email: z.email(), name: optionalText });
const grantSchema = z.object({ scopes: z.array(z.string().min(1)).max(50) });
const moveSchema = z.object({
  start: timeInput,
  end: optionalTimeInput,
  timeZone: optionalText,
  sendUpdates: optionalSendUpdates,
});
const respondSchema = z.object({
  email: z.string().min(1),
  responseStatus: z.enum(['needsAction', 'declined', 'tentative', 'accepted']),
});
const cancelSchema = z.object({ sendUpdates: optionalSendUpdates });
const organizerSchema = z.object({ email: z.email(), sendUpdates: optionalSendUpdates });
const invitationOrganizerSchema = z.preprocess(
  (value) => (typeof value === 'string' ? (value === '' ? undefined : { email: value }) : value),
  z.object({ email: z.email(), displayName: optionalText }).optional(),
);
const clockSchema = z.union([
  z.object({ advanceSeconds: z.coerce.number().finite() }),
  z.object({ now: z.iso.datetime({ offset: true }) }),
]);
const invalidateSchema = z.object({ calendarId: optionalText });

export function adminRoutes(context: EmulatorContext): Router {
  const router = express.Router();
  router.use(express.json(), express.urlencoded({ extended: false }));

  const writeContext = (): WriteContext => ({
    state: context.state,
    nowMs: context.clock.nowMs(),
    notifyChange: (calendar) => context.push.notifyChange(calendar),
    conferenceRequested: (calendar, requestId) => context.meet.schedule(calendar, requestId),
  });

  const calendarOf = (req: Request): CalendarRecord => {
    const calendar = context.state.calendars[normalizeEmail(String(req.params.calendarId ?? ''))];
    if (!calendar) throw notFound();
    return calendar;
  };

  /** Runs an admin action; forms get a 303 back to the page, with the error shown there. */
  const action =
    (run: (req: Request) => { status: number; body?: unknown }) => (req: Request, res: Response) => {
      const fromForm = req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
      try {
        const { status, body } = run(req);
        if (fromForm) return res.redirect(303, '/_emulator/');
        if (body === undefined) return void res.status(status).end();
        res.status(status).json(body);
      } catch (failure) {
        if (fromForm && failure instanceof ApiError) {
          return res.redirect(303, `/_emulator/?error=${encodeURIComponent(failure.message)}`);
        }
        sendFailure(res, failure, context.logger);
      }
    };

  router.post(
    '/users',
    action((req) => {
      const input = parse(userSchema, req.body);
      const { user, created } = ensureUser(context.state, context.clock.now(), input);
      return { status: created ? 201 : 200, body: user };
    }),
  );

  // Granular consent without a click: what the user's next auto-approved consent leaves ticked.
  router.post(
    '/users/:email/grant',
    action((req) => {
      const input = parse(grantSchema, req.body);
      const email = normalizeEmail(String(req.params.email ?? ''));
      const scopes = normalizeScopes(input.scopes.join(' '));
      context.nextConsent.set(email, scopes);
      return { status: 200, body: { email, nextConsentGrants: scopes } };
    }),
  );

  router.post(
    '/users/:email/revoke',
    action((req) => {
      const email = String(req.params.email ?? '');
      if (!findUser(context.state, email)) throw notFound();
      return {
        status: 200,
        body: { revokedGrants: revokeUser(context.state, context.clock.nowMs(), email) },
      };
    }),
  );

  router.post(
    '/users/:email/expire-refresh-tokens',
    action((req) => {
      const email = String(req.params.email ?? '');
      if (!findUser(context.state, email)) throw notFound();
      return {
        status: 200,
        body: { expiredGrants: expireRefreshTokens(context.state, context.clock.nowMs(), email) },
      };
    }),
  );

  router.post(
    '/calendars/:calendarId/events',
    action((req) => {
      const calendar = calendarOf(req);
      const body = eventFromAdminBody(req.body);
      // `organizer`: someone else's meeting that the calendar's owner is invited to.
      const organizer =
        body.organizer === undefined ? undefined : parse(invitationOrganizerSchema, body.organizer);
      const event = insertEvent(writeContext(), calendar, parseEventInput(body), {
        sendUpdates: parseSendUpdates(body.sendUpdates),
        conferenceDataVersion: body.conferenceDataVersion === 1 || body.conferenceDataVersion === '1' ? 1 : 0,
        origin: originOf(req),
        ...(organizer ? { organizer } : {}),
      });
      return { status: 201, body: apiEvent(event) };
    }),
  );

  // The calendar's own zone (Calendar settings): where its all-day events' dates are days.
  router.post(
    '/calendars/:calendarId/time-zone',
    action((req) => {
      const calendar = calendarOf(req);
      const { timeZone } = parse(z.object({ timeZone: z.string() }), req.body);
      if (!isValidTimeZone(timeZone)) throw invalid('Invalid time zone.');
      calendar.timeZone = timeZone;
      return { status: 200, body: { timeZone } };
    }),
  );

  router.post(
    '/calendars/:calendarId/events/:eventId/move',
    action((req) => {
      const input = parse(moveSchema, req.body);
      const event = moveEvent(
        writeContext(),
        calendarOf(req),
        String(req.params.eventId),
        {
          start: toEventTime(input.start, input.timeZone),
          end: input.end === undefined ? undefined : toEventTime(input.end, input.timeZone),
        },
        input.sendUpdates ?? 'all',
      );
      return { status: 200, body: apiEvent(event) };
    }),
  );

  // The organizer hands the event to another person's calendar in Google Calendar (events.move).
  router.post(
    '/calendars/:calendarId/events/:eventId/organizer',
    action((req) => {
      const input = parse(organizerSchema, req.body);
      const destination = context.state.calendars[normalizeEmail(input.email)];
      if (!destination) throw notFound();
      const event = moveEventToCalendar(
        writeContext(),
        calendarOf(req),
        destination,
        String(req.params.eventId),
        input.sendUpdates ?? 'all',
      );
      return { status: 200, body: apiEvent(event) };
    }),
  );

  router.post(
    '/calendars/:calendarId/events/:eventId/cancel',
    action((req) => {
      const input = parse(cancelSchema, req.body ?? {});
      // Deleting in Google Calendar is what `events.delete` does: the event stays, cancelled.
      const event = deleteEvent(writeContext(), calendarOf(req), String(req.params.eventId), {
        sendUpdates: input.sendUpdates ?? 'all',
      });
      return { status: 200, body: apiEvent(event) };
    }),
  );

  router.post(
    '/calendars/:calendarId/events/:eventId/restore',
    action((req) => {
      const input = parse(cancelSchema, req.body ?? {});
      // Restoring from Google Calendar's trash: the same event, confirmed again, sequence up.
      const event = patchEvent(
        writeContext(),
        calendarOf(req),
        String(req.params.eventId),
        parseEventInput({ status: 'confirmed' }),
        { sendUpdates: input.sendUpdates ?? 'all', conferenceDataVersion: 1, origin: '' },
      );
      return { status: 200, body: apiEvent(event) };
    }),
  );

  router.post(
    '/calendars/:calendarId/events/:eventId/respond',
    action((req) => {
      const input = parse(respondSchema, req.body);
      const event = respondToEvent(
        writeContext(),
        calendarOf(req),
        String(req.params.eventId),
        input.email,
        input.responseStatus,
      );
      return { status: 200, body: apiEvent(event) };
    }),
  );

  router.post(
    '/sync-tokens/invalidate',
    action((req) => {
      const { calendarId } = parse(invalidateSchema, req.body ?? {});
      const calendars = calendarId
        ? [context.state.calendars[normalizeEmail(calendarId)]].filter((calendar) => calendar !== undefined)
        : Object.values(context.state.calendars);
      if (calendarId && calendars.length === 0) throw notFound();
      calendars.forEach(invalidateSyncTokens);
      return { status: 200, body: { invalidated: calendars.map((calendar) => calendar.owner) } };
    }),
  );

  // Google may stop a channel at any time, without telling the receiver: it just goes silent.
  router.post(
    '/channels/:channelId/stop',
    action((req) => {
      const channel = context.push.stopByGoogle(String(req.params.channelId ?? ''));
      if (!channel) throw notFound();
      return { status: 200, body: { id: channel.id, stoppedAt: channel.stoppedAt } };
    }),
  );

  router.post(
    '/faults',
    action((req) => {
      const rule = context.faults.add(parse(faultInputSchema, req.body ?? {}));
      return { status: 201, body: { rule: rule ?? null, faults: context.faults.describe() } };
    }),
  );
  router.delete(
    '/faults',
    action(() => {
      context.faults.reset();
      return { status: 204 };
    }),
  );
  router.get('/faults', (_req, res) => void res.json(context.faults.describe()));

  router.post(
    '/clock',
    action((req) => {
      const input = parse(clockSchema, req.body);
      const now =
        'advanceSeconds' in input
          ? context.clock.advance(input.advanceSeconds)
          : context.clock.set(new Date(input.now));
      return { status: 200, body: { now: now.toISOString() } };
    }),
  );
  router.get('/clock', (_req, res) => void res.json({ now: context.clock.now().toISOString() }));

  router.post(
    '/reset',
    action(() => {
      context.reset();
      return { status: 204 };
    }),
  );

  router.get('/state', (_req, res) => {
    res.json(snapshot(context.state, context.clock.nowMs(), context.faults.describe()));
  });

  return router;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(`Invalid ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function parseSendUpdates(value: unknown) {
  if (value === undefined || value === '') return 'none';
  const parsed = sendUpdatesSchema.safeParse(value);
  if (!parsed.success) throw invalid(`Invalid sendUpdates value: ${String(value)}`);
  return parsed.data;
}

function toEventTime(value: string | EventDateTime, timeZone: string | undefined): EventDateTime {
  if (typeof value !== 'string') return value;
  if (/(Z|[+-]\d{2}:\d{2})$/i.test(value)) return { dateTime: value };
  return { dateTime: value, timeZone: timeZone ?? 'UTC' };
}

/** Form fields (strings) become an event resource; a JSON body is taken as the resource. */
function eventFromAdminBody(body: unknown): Record<string, unknown> {
  const input = { ...((body ?? {}) as Record<string, unknown>) };
  const timeZone = typeof input.timeZone === 'string' && input.timeZone !== '' ? input.timeZone : undefined;
  delete input.timeZone;
  for (const key of ['start', 'end'] as const) {
    const value = input[key];
    if (typeof value === 'string' && value !== '') input[key] = toEventTime(value, timeZone);
  }
  if (typeof input.attendees === 'string') {
    input.attendees = input.attendees
      .split(/[\s,;]+/)
      .filter((email) => email.length > 0)
      .map((email) => ({ email }));
  }
  if (typeof input.recurrence === 'string') {
    input.recurrence = input.recurrence
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
  }
  for (const key of ['summary', 'description', 'location', 'transparency', 'id', 'eventType', 'recurrence']) {
    if (input[key] === '' || (Array.isArray(input[key]) && input[key].length === 0)) delete input[key];
  }
  return withCalendarDefaults(input);
}

/**
 * What Google Calendar's own screens fill in for an event type, so a demo or test adds a
 * birthday or a working location as a person would: a birthday is a private, free, one-day
 * event every year; a working location is a free, public all-day (or timed) marker.
 */
function withCalendarDefaults(input: Record<string, unknown>): Record<string, unknown> {
  if (input.eventType === 'birthday') {
    const start = input.start as EventDateTime | undefined;
    const end =
      input.end ??
      (start?.date
        ? { date: new Date(Date.parse(`${start.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) }
        : undefined);
    return {
      visibility: 'private',
      transparency: 'transparent',
      recurrence: ['RRULE:FREQ=YEARLY'],
      birthdayProperties: { type: 'birthday' },
      ...input,
      ...(end ? { end } : {}),
    };
  }
  if (input.eventType === 'workingLocation') {
    return {
      visibility: 'public',
      transparency: 'transparent',
      workingLocationProperties: { type: 'homeOffice', homeOffice: {} },
      ...input,
    };
  }
  return input;
}
