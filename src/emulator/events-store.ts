import { ApiError, conditionNotMet, deleted, duplicate, invalid, notFound, timeRangeEmpty } from './errors';
import { eventAs, isInvitation, personAs } from './event-people';
import { PASSTHROUGH_FIELDS, type AttendeeInput, type EventInput, type SendUpdates } from './event-input';
import { instantOf, normalizeEventTime } from './event-time';
import { checkEventType } from './event-types';
import { isValidClientEventId, randomBase32hex } from './ids';
import { messagesForChange, recordInvitations } from './invitations';
import { conferenceFor, videoUri } from './meet';
import { checkRecurrence } from './recurrence';
import { isException, resolveInstance } from './series';
import type {
  CalendarRecord,
  ConferenceData,
  EmulatorState,
  EventAttendee,
  EventDateTime,
  EventResource,
  EventPerson,
  StoredEvent,
} from './state';
import { normalizeEmail } from './state';

/**
 * Every write to a calendar, whoever makes it (the Calendar API or the admin API acting as
 * a person in Google Calendar): validation, etag/updated/sequence bookkeeping, the change
 * counter sync tokens compare, invitation records, and the push notification.
 */

export interface WriteContext {
  state: EmulatorState;
  nowMs: number;
  /** Called once per committed change; the push dispatcher notifies the calendar's watchers. */
  notifyChange(calendar: string): void;
  /** A new Meet conference was asked for (it is `pending`): its outcome is to be scheduled. */
  conferenceRequested?(calendar: string, requestId: string): void;
}

export interface WriteOptions {
  sendUpdates: SendUpdates;
  conferenceDataVersion: number;
  ifMatch?: string | undefined;
  /** The emulator origin as the caller reached it, for `htmlLink`. */
  origin: string;
  /**
   * Insert only, admin API: someone else organises the event and the calendar's owner is
   * invited (an invitation, as it shows in the invitee's calendar). Default: the owner.
   */
  organizer?: { email: string; displayName?: string | undefined };
}

type Writable = Record<string, unknown>;

const WRITABLE_FIELDS = [
  'status',
  'summary',
  'description',
  'location',
  'start',
  'end',
  'attendees',
  'transparency',
  'visibility',
  'extendedProperties',
  ...PASSTHROUGH_FIELDS,
] as const;

/**
 * The stored event, or an instance of a series never changed before (not stored until a
 * write commits it as an exception).
 */
export function findEvent(calendar: CalendarRecord, eventId: string): StoredEvent {
  const stored = calendar.events[eventId] ?? resolveInstance(calendar, eventId);
  if (!stored) throw notFound();
  return stored;
}

export function insertEvent(
  context: WriteContext,
  calendar: CalendarRecord,
  input: EventInput,
  options: WriteOptions,
): EventResource {
  const id = input.id ?? randomBase32hex(26);
  if (input.id != null && !isValidClientEventId(input.id)) invalidId();
  // A deleted event keeps its id: Google answers 409 for it too.
  if (calendar.events[id]) throw duplicate();
  const organizer: EventPerson = options.organizer
    ? {
        email: normalizeEmail(options.organizer.email),
        ...(options.organizer.displayName ? { displayName: options.organizer.displayName } : {}),
      }
    : { email: calendar.owner };
  const owner = personAs(organizer, calendar.owner);
  const createdIso = new Date(context.nowMs).toISOString();
  const skeleton: EventResource = {
    id,
    etag: '',
    status: 'confirmed',
    htmlLink: `${options.origin}/_emulator/?eid=${Buffer.from(`${id} ${calendar.owner}`).toString('base64url')}`,
    iCalUID: `${id}@google.com`,
    created: createdIso,
    updated: createdIso,
    start: {},
    end: {},
    organizer: owner,
    creator: owner,
    sequence: 0,
  };
  const conference =
    options.conferenceDataVersion >= 1 ? requestedConference(context, calendar, input) : undefined;
  const fields = writableOf(input);
  // An invitation is in this calendar because its owner is a guest.
  if (isInvitation(skeleton, calendar.owner)) fields.attendees = withGuest(input.attendees, calendar.owner);
  const resource = materialize(calendar, skeleton, fields, conference, undefined);
  const stored: StoredEvent = { resource, changeSeq: 0, createdSeq: Object.keys(calendar.events).length + 1 };
  commit(context, calendar, stored);
  recordInvitations(
    context.state,
    resource,
    (resource.attendees ?? []).map((attendee) => ({ to: attendee.email, kind: 'invitation' as const })),
    options.sendUpdates,
    context.nowMs,
  );
  return resource;
}

/** PATCH: the given fields replace the stored ones (maps inside extendedProperties merge). */
export function patchEvent(
  context: WriteContext,
  calendar: CalendarRecord,
  eventId: string,
  input: EventInput,
  options: WriteOptions,
): EventResource {
  const stored = findEvent(calendar, eventId);
  checkIfMatch(stored, options.ifMatch);
  refuseNonOrganizer(calendar, stored.resource, input);
  const merged = mergePatch(writableOf(stored.resource), writableOf(input));
  const conference =
    options.conferenceDataVersion >= 1 && input.conferenceData !== undefined
      ? requestedConference(context, calendar, input)
      : stored.resource.conferenceData;
  return answerOrganizer(
    context,
    calendar,
    stored,
    rewrite(context, calendar, stored, merged, conference, options),
  );
}

/** PUT: the writable fields are replaced as a whole. */
export function updateEvent(
  context: WriteContext,
  calendar: CalendarRecord,
  eventId: string,
  input: EventInput,
  options: WriteOptions,
): EventResource {
  const stored = findEvent(calendar, eventId);
  checkIfMatch(stored, options.ifMatch);
  refuseNonOrganizer(calendar, stored.resource, input);
  // Without conferenceDataVersion=1 conference data cannot change, so it is kept.
  const conference =
    options.conferenceDataVersion >= 1
      ? requestedConference(context, calendar, input)
      : stored.resource.conferenceData;
  return answerOrganizer(
    context,
    calendar,
    stored,
    rewrite(context, calendar, stored, writableOf(input), conference, options),
  );
}

/**
 * A guest who changes their own answer on their copy (what Google Calendar's Yes/No/Maybe
 * does) answers the organizer, whose copy changes and is sent out again to every guest.
 */
function answerOrganizer(
  context: WriteContext,
  calendar: CalendarRecord,
  stored: StoredEvent,
  written: EventResource,
): EventResource {
  const organizers = organizerCopyOf(context, calendar, written);
  if (!organizers) return written;
  const own = written.attendees?.find((attendee) => attendee.email === calendar.owner);
  const known = organizers.stored.resource.attendees?.find((attendee) => attendee.email === calendar.owner);
  if (!own || !known || own.responseStatus === known.responseStatus) return written;
  respondToEvent(context, organizers.calendar, written.id, calendar.owner, own.responseStatus);
  return stored.resource;
}

/**
 * DELETE: the event stays, `cancelled`; a second delete is 410 `deleted`. Deleting a series
 * deletes every instance, the changed ones (exceptions) too.
 */
export function deleteEvent(
  context: WriteContext,
  calendar: CalendarRecord,
  eventId: string,
  options: { sendUpdates: SendUpdates; ifMatch?: string | undefined },
): EventResource {
  const stored = findEvent(calendar, eventId);
  if (stored.resource.status === 'cancelled') throw deleted();
  checkIfMatch(stored, options.ifMatch);
  const before = stored.resource;
  stored.resource = { ...before, status: 'cancelled' };
  commit(context, calendar, stored);
  for (const exception of Object.values(calendar.events)) {
    if (exception.resource.recurringEventId !== before.id || exception.resource.status === 'cancelled')
      continue;
    exception.resource = { ...exception.resource, status: 'cancelled' };
    commit(context, calendar, exception);
  }
  recordInvitations(
    context.state,
    stored.resource,
    messagesForChange(before, stored.resource),
    options.sendUpdates,
    context.nowMs,
  );
  return stored.resource;
}

/** The organizer drags the event in Google Calendar: new times, same id, sequence up. */
export function moveEvent(
  context: WriteContext,
  calendar: CalendarRecord,
  eventId: string,
  times: { start: EventDateTime; end?: EventDateTime | undefined },
  sendUpdates: SendUpdates,
): EventResource {
  const stored = findEvent(calendar, eventId);
  if (stored.resource.status === 'cancelled') throw deleted();
  const { start: oldStart, end: oldEnd } = stored.resource;
  const zone = calendar.timeZone;
  // Dragging keeps the event's time zone (a series' instance keeps the series' zone).
  const start = normalizeEventTime({ ...tz(oldStart), ...times.start }, 'start', zone);
  const duration = instantOf(oldEnd, zone) - instantOf(oldStart, zone);
  const end = times.end
    ? times.end
    : { dateTime: new Date(instantOf(start, zone) + duration).toISOString(), ...tz(oldEnd) };
  const merged = { ...writableOf(stored.resource), start, end };
  return rewrite(context, calendar, stored, merged, stored.resource.conferenceData, {
    sendUpdates,
    conferenceDataVersion: 1,
    origin: '',
  });
}

/** An attendee answers the invitation: the organizer's copy changes, the event stays as it was. */
export function respondToEvent(
  context: WriteContext,
  calendar: CalendarRecord,
  eventId: string,
  email: string,
  responseStatus: EventAttendee['responseStatus'],
): EventResource {
  const local = findEvent(calendar, eventId);
  const organizers = organizerCopyOf(context, calendar, local.resource);
  if (organizers) {
    respondToEvent(context, organizers.calendar, eventId, email, responseStatus);
    return findEvent(calendar, eventId).resource;
  }
  const stored = local;
  const who = normalizeEmail(email);
  const attendees = stored.resource.attendees ?? [];
  if (!attendees.some((attendee) => attendee.email === who)) throw notFound();
  stored.resource = {
    ...stored.resource,
    attendees: attendees.map((attendee) =>
      attendee.email === who ? { ...attendee, responseStatus } : attendee,
    ),
  };
  commit(context, calendar, stored);
  return stored.resource;
}

function rewrite(
  context: WriteContext,
  calendar: CalendarRecord,
  stored: StoredEvent,
  fields: Writable,
  conference: ConferenceData | undefined,
  options: WriteOptions,
): EventResource {
  const before = stored.resource;
  const after = materialize(calendar, before, fields, conference, before);
  const zone = calendar.timeZone;
  const moved =
    instantOf(before.start, zone) !== instantOf(after.start, zone) ||
    instantOf(before.end, zone) !== instantOf(after.end, zone);
  after.sequence = before.sequence + (moved ? 1 : 0);
  stored.resource = after;
  commit(context, calendar, stored);
  recordInvitations(
    context.state,
    after,
    messagesForChange(before, after),
    options.sendUpdates,
    context.nowMs,
  );
  return after;
}

/** Builds the stored resource: the fixed fields of `base`, the writable ones from `fields`. */
function materialize(
  calendar: CalendarRecord,
  base: EventResource,
  fields: Writable,
  conference: ConferenceData | undefined,
  previous: EventResource | undefined,
): EventResource {
  const zone = calendar.timeZone;
  const start = normalizeEventTime(fields.start as EventDateTime | undefined, 'start', zone);
  const end = normalizeEventTime(fields.end as EventDateTime | undefined, 'end', zone);
  if (instantOf(end, zone) < instantOf(start, zone)) throw timeRangeEmpty();
  const resource: EventResource = {
    id: base.id,
    etag: base.etag,
    status: (fields.status as EventResource['status'] | undefined) ?? 'confirmed',
    htmlLink: base.htmlLink,
    iCalUID: base.iCalUID,
    created: base.created,
    updated: base.updated,
    start,
    end,
    organizer: base.organizer,
    creator: base.creator,
    sequence: base.sequence,
  };
  for (const field of WRITABLE_FIELDS) {
    if (field === 'status' || field === 'start' || field === 'end' || field === 'attendees') continue;
    const value = fields[field];
    if (value !== undefined && value !== null) (resource as Record<string, unknown>)[field] = value;
  }
  const attendees = fields.attendees as AttendeeInput[] | undefined;
  if (attendees && attendees.length > 0) {
    resource.attendees = normalizeAttendees(
      attendees,
      base.organizer.email,
      calendar.owner,
      base.attendees ?? [],
    );
  }
  if (resource.transparency === 'opaque') delete resource.transparency;
  if (isException(base)) {
    // An instance keeps its place in the series; it cannot itself recur.
    resource.recurringEventId = base.recurringEventId;
    if (base.originalStartTime) resource.originalStartTime = base.originalStartTime;
    delete resource.recurrence;
  }
  resource.eventType = checkEventType(fields.eventType, previous, resource);
  checkRecurrence(resource);
  if (conference) {
    resource.conferenceData = conference;
    const link = videoUri(conference);
    if (link) resource.hangoutLink = link;
  }
  return resource;
}

function normalizeAttendees(
  input: AttendeeInput[],
  organizer: string,
  owner: string,
  previous: EventAttendee[],
): EventAttendee[] {
  const seen = new Set<string>();
  const result: EventAttendee[] = [];
  for (const attendee of input) {
    const email = normalizeEmail(attendee.email);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalid('Invalid attendee email.');
    if (seen.has(email)) continue;
    seen.add(email);
    const earlier = previous.find((candidate) => candidate.email === email);
    const isOrganizer = email === organizer;
    result.push({
      email,
      ...(attendee.displayName !== undefined ? { displayName: attendee.displayName } : {}),
      ...(isOrganizer ? { organizer: true } : {}),
      ...(email === owner ? { self: true } : {}),
      ...(attendee.optional ? { optional: true } : {}),
      responseStatus:
        attendee.responseStatus ?? earlier?.responseStatus ?? (isOrganizer ? 'accepted' : 'needsAction'),
      ...(attendee.comment !== undefined ? { comment: attendee.comment } : {}),
      ...(attendee.additionalGuests !== undefined ? { additionalGuests: attendee.additionalGuests } : {}),
    });
  }
  return result;
}

/**
 * Google finished (or failed) making a conference: every live event that asked for it with
 * this requestId changes — a change like any other (new etag, `updated`, sync, push).
 */
export function settleConference(
  context: WriteContext,
  calendar: CalendarRecord,
  requestId: string,
  conference: ConferenceData,
): void {
  calendar.conferences[requestId] = conference;
  for (const stored of Object.values(calendar.events)) {
    const data = stored.resource.conferenceData;
    if (stored.resource.status === 'cancelled' || data?.createRequest?.requestId !== requestId) continue;
    const next: EventResource = { ...stored.resource, conferenceData: conference };
    const link = videoUri(conference);
    if (link) next.hangoutLink = link;
    else delete next.hangoutLink;
    stored.resource = next;
    commit(context, calendar, stored);
  }
}

function requestedConference(
  context: WriteContext,
  calendar: CalendarRecord,
  input: EventInput,
): ConferenceData | undefined {
  const request = input.conferenceData?.createRequest;
  if (request) {
    const { conference, created } = conferenceFor(calendar, request);
    if (created) context.conferenceRequested?.(calendar.owner, request.requestId);
    return conference;
  }
  // A client echoing the conference it read back keeps it.
  const conferenceId = (input.conferenceData as { conferenceId?: unknown } | null | undefined)?.conferenceId;
  if (typeof conferenceId === 'string') {
    return Object.values(calendar.conferences).find((conference) => conference.conferenceId === conferenceId);
  }
  return undefined;
}

function writableOf(source: object): Writable {
  const record = source as Record<string, unknown>;
  const fields: Writable = {};
  for (const field of WRITABLE_FIELDS) if (field in record) fields[field] = record[field];
  return fields;
}

function mergePatch(base: Writable, patch: Writable): Writable {
  const merged: Writable = { ...base };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete merged[field];
    } else if (field === 'extendedProperties') {
      const before = (base.extendedProperties ?? {}) as Record<string, Record<string, string> | undefined>;
      const after = value as Record<string, Record<string, string> | null | undefined>;
      const result: Record<string, Record<string, string>> = {};
      for (const scope of ['private', 'shared'] as const) {
        const next = after[scope] === null ? {} : { ...before[scope], ...after[scope] };
        if (Object.keys(next).length > 0) result[scope] = next;
      }
      merged.extendedProperties = result;
    } else {
      merged[field] = value;
    }
  }
  return merged;
}

function checkIfMatch(stored: StoredEvent, ifMatch: string | undefined): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!tags.includes(stored.resource.etag)) throw conditionNotMet();
}

/**
 * One change: the calendar's counter moves, the event gets a new etag and `updated`. A change
 * the organizer makes reaches the copies in their guests' calendars too (events.move leaves
 * one behind in the calendar the event left, when its owner is a guest).
 */
export function commit(context: WriteContext, calendar: CalendarRecord, stored: StoredEvent): void {
  // A new event, or the first change to an instance of a series (now an exception).
  calendar.events[stored.resource.id] = stored;
  calendar.changeCounter += 1;
  stored.changeSeq = calendar.changeCounter;
  stored.resource.updated = new Date(context.nowMs).toISOString();
  stored.resource.etag = `"${context.nowMs}${String(calendar.changeCounter).padStart(6, '0')}"`;
  context.notifyChange(calendar.owner);
  if (!isInvitation(stored.resource, calendar.owner)) updateGuestCopies(context, calendar, stored.resource);
}

/**
 * Google puts an invitation on the calendar of every guest who has a Google account (the
 * default "add invitations to my calendar"): the same id and iCalUID, the organizer's
 * fields, `self` on the guest's own entries. A guest taken off the guest list loses it (it
 * shows `cancelled` in their sync). Private extended properties belong to one copy ("private
 * to the copy of the event that appears on this calendar"): a guest's copy never gets the
 * organizer's and keeps its own; shared ones are the same on every copy.
 */
function updateGuestCopies(context: WriteContext, calendar: CalendarRecord, event: EventResource): void {
  const guests = new Set((event.attendees ?? []).map((attendee) => attendee.email));
  guests.delete(calendar.owner);
  for (const guestCalendar of Object.values(context.state.calendars)) {
    if (guestCalendar.owner === calendar.owner) continue;
    const copy = guestCalendar.events[event.id];
    if (copy && copy.resource.organizer.email !== calendar.owner) continue;
    if (!guests.has(guestCalendar.owner)) {
      if (!copy || copy.resource.status === 'cancelled') continue;
      copy.resource = { ...copy.resource, status: 'cancelled' };
      commit(context, guestCalendar, copy);
      continue;
    }
    // A new guest only learns of a live event; an organizer's cancelled event is never sent.
    if (!copy && event.status === 'cancelled') continue;
    const resource = guestCopyOf(event, guestCalendar.owner, copy?.resource);
    if (copy) {
      copy.resource = resource;
      commit(context, guestCalendar, copy);
    } else {
      const created: StoredEvent = {
        resource,
        changeSeq: 0,
        createdSeq: Object.keys(guestCalendar.events).length + 1,
      };
      commit(context, guestCalendar, created);
    }
  }
}

function guestCopyOf(
  event: EventResource,
  guest: string,
  previous: EventResource | undefined,
): EventResource {
  const { extendedProperties, ...rest } = event;
  const ownPrivate = previous?.extendedProperties?.private;
  const shared = extendedProperties?.shared;
  const properties = {
    ...(ownPrivate ? { private: ownPrivate } : {}),
    ...(shared ? { shared } : {}),
  };
  return eventAs(
    {
      ...rest,
      ...(Object.keys(properties).length > 0 ? { extendedProperties: properties } : {}),
      htmlLink: previous?.htmlLink ?? event.htmlLink,
    },
    guest,
  );
}

/**
 * A guest answering on their own copy answers the organizer: the organizer's copy changes
 * (and with it every guest's copy). Only when the organizer's calendar is here to hold it.
 */
function organizerCopyOf(
  context: WriteContext,
  calendar: CalendarRecord,
  event: EventResource,
): { calendar: CalendarRecord; stored: StoredEvent } | undefined {
  if (!isInvitation(event, calendar.owner)) return undefined;
  const organizerCalendar = context.state.calendars[event.organizer.email];
  const stored = organizerCalendar?.events[event.id];
  if (!organizerCalendar || !stored || isInvitation(stored.resource, organizerCalendar.owner))
    return undefined;
  return { calendar: organizerCalendar, stored };
}

const ORGANIZER_ONLY_FIELDS = ['start', 'end', 'summary', 'description', 'location', 'status'] as const;

/**
 * A guest's copy: the time, title, status and conference belong to the organizer, and
 * Google refuses a guest who changes them.
 */
function refuseNonOrganizer(calendar: CalendarRecord, event: EventResource, input: EventInput): void {
  if (!isInvitation(event, calendar.owner)) return;
  const changes = ORGANIZER_ONLY_FIELDS.some(
    (field) => input[field] != null && JSON.stringify(input[field]) !== JSON.stringify(event[field]),
  );
  if (changes || input.conferenceData?.createRequest) {
    throw new ApiError(
      403,
      'forbiddenForNonOrganizer',
      'The operation can only be performed by the event organizer.',
    );
  }
}

/** The attendee list of an invitation always holds the invitee. */
function withGuest(attendees: EventInput['attendees'], guest: string): AttendeeInput[] {
  const list = attendees ?? [];
  return list.some((attendee) => normalizeEmail(attendee.email) === guest)
    ? list
    : [...list, { email: guest }];
}

function tz(time: EventDateTime): { timeZone?: string } {
  return time.timeZone !== undefined ? { timeZone: time.timeZone } : {};
}

function invalidId(): never {
  throw invalid('Invalid resource id value.');
}
