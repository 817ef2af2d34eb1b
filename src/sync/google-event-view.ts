import { fromZonedTime } from 'date-fns-tz';
import { dateTimeFormat } from '../availability/date-time-formats';

/**
 * The few fields of a Google Calendar event the reconciler looks at, parsed once at the edge
 * so the pure core never handles Google's strings. Parsing is forgiving on purpose: a field
 * that cannot be read becomes null ("unknown"), and the reconciler then leaves the matching
 * stored value alone instead of writing NaN or guessing.
 */

export type GoogleEventStatus = 'confirmed' | 'tentative' | 'cancelled';
export type AttendeeResponse = 'needsAction' | 'declined' | 'tentative' | 'accepted';

export interface GoogleAttendeeView {
  /** Lower-cased: Google keeps the spelling it was given, people do not. */
  email: string;
  responseStatus: AttendeeResponse;
}

export interface GoogleEventView {
  id: string;
  status: GoogleEventStatus;
  start: Date | null;
  end: Date | null;
  /**
   * Null when Google left it out: entries for deleted events in an incremental sync carry
   * little more than `id` and `status`, so sequence, `updated` and even the etag may be absent.
   */
  sequence: number | null;
  updated: Date | null;
  etag: string | null;
  attendees: GoogleAttendeeView[];
  /** Google dropped some attendees (maxAttendees): a missing attendee then proves nothing. */
  attendeesOmitted: boolean;
  /** The organizer's calendar (lower-cased); absent or null when Google left it out. */
  organizer?: string | null;
  /** The Meet conference as Google has it; absent or null when the event carries none. */
  conference?: ConferenceView | null;
  /** The event's title and location: null when Google has none; absent = not looked at. */
  summary?: string | null;
  location?: string | null;
}

export interface ConferenceView {
  /** `createRequest.status.statusCode`; null for a conference not made by a createRequest. */
  status: 'pending' | 'success' | 'failure' | null;
  requestId: string | null;
  /** The video entry point (or `hangoutLink`); null until the conference exists. */
  meetUrl: string | null;
}

interface RawEventDateTime {
  date?: string | null;
  dateTime?: string | null;
  timeZone?: string | null;
}

/** The shape of googleapis' `calendar_v3.Schema$Event` that is read here (it is assignable). */
export interface RawGoogleEvent {
  id?: string | null;
  status?: string | null;
  start?: RawEventDateTime | null;
  end?: RawEventDateTime | null;
  sequence?: number | null;
  updated?: string | null;
  etag?: string | null;
  attendees?: ReadonlyArray<{ email?: string | null; responseStatus?: string | null }> | null;
  attendeesOmitted?: boolean | null;
  extendedProperties?: { private?: Record<string, string> | null } | null;
  organizer?: { email?: string | null } | null;
  hangoutLink?: string | null;
  summary?: string | null;
  location?: string | null;
  conferenceData?: {
    createRequest?: { requestId?: string | null; status?: { statusCode?: string | null } | null } | null;
    entryPoints?: ReadonlyArray<{ entryPointType?: string | null; uri?: string | null }> | null;
  } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The booking an event belongs to, from `extendedProperties.private.bookingId` set at insert.
 * Null for any other event on the researcher's calendar — those are not ours to reconcile,
 * and skipping them is the caller's job. Only a UUID is returned, so a hand-edited property
 * can never reach a `uuid` column as garbage.
 */
export function bookingIdOfEvent(event: RawGoogleEvent): string | null {
  const bookingId = event.extendedProperties?.private?.bookingId;
  return typeof bookingId === 'string' && UUID.test(bookingId) ? bookingId.toLowerCase() : null;
}

export function toGoogleEventView(raw: RawGoogleEvent): GoogleEventView {
  if (typeof raw.id !== 'string' || raw.id === '') throw new Error('A Google event without an id');
  const start = parseEventTime(raw.start);
  const end = parseEventTime(raw.end);
  // A range the database would refuse (end not after start) is as good as no range.
  const timesUsable = start !== null && end !== null && end.getTime() > start.getTime();
  return {
    id: raw.id,
    status: parseEventStatus(raw.status),
    start: timesUsable ? start : null,
    end: timesUsable ? end : null,
    sequence:
      typeof raw.sequence === 'number' && Number.isInteger(raw.sequence) && raw.sequence >= 0
        ? raw.sequence
        : null,
    updated: parseInstant(raw.updated),
    etag: typeof raw.etag === 'string' && raw.etag !== '' ? raw.etag : null,
    attendees: (raw.attendees ?? []).flatMap((attendee) =>
      typeof attendee.email === 'string' && attendee.email.trim() !== ''
        ? [{ email: normaliseEmail(attendee.email), responseStatus: parseResponse(attendee.responseStatus) }]
        : [],
    ),
    attendeesOmitted: raw.attendeesOmitted === true,
    organizer:
      typeof raw.organizer?.email === 'string' && raw.organizer.email.trim() !== ''
        ? normaliseEmail(raw.organizer.email)
        : null,
    conference: conferenceOf(raw),
    summary: textOf(raw.summary),
    location: textOf(raw.location),
  };
}

/** Google leaves an empty title or location out; both read as null, so '' never looks like a change. */
function textOf(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function conferenceOf(raw: RawGoogleEvent): ConferenceView | null {
  const data = raw.conferenceData;
  if (!data && !raw.hangoutLink) return null;
  const code = data?.createRequest?.status?.statusCode;
  const video = data?.entryPoints?.find((entry) => entry.entryPointType === 'video')?.uri;
  const requestId = data?.createRequest?.requestId;
  return {
    status: code === 'pending' || code === 'success' || code === 'failure' ? code : null,
    requestId: typeof requestId === 'string' && requestId !== '' ? requestId : null,
    meetUrl: raw.hangoutLink ?? video ?? null,
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function parseEventStatus(status: string | null | undefined): GoogleEventStatus {
  // Google's default is `confirmed`; an unknown value is not evidence of a cancellation.
  return status === 'cancelled' || status === 'tentative' ? status : 'confirmed';
}

function parseResponse(response: string | null | undefined): AttendeeResponse {
  return response === 'declined' || response === 'tentative' || response === 'accepted'
    ? response
    : 'needsAction';
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `dateTime` is RFC 3339, with an offset unless `timeZone` names the zone (Google's rule).
 * A bare local time without a zone is refused: JavaScript would read it in the server's own
 * zone. An all-day `date` starts at midnight in `timeZone` when given, else UTC; the end date
 * is exclusive in Google, so the day range comes out right.
 */
function parseEventTime(time: RawEventDateTime | null | undefined): Date | null {
  if (!time) return null;
  const zone = validTimeZone(time.timeZone);
  if (typeof time.dateTime === 'string') {
    const match = DATE_TIME.exec(time.dateTime);
    if (!match || !isCalendarDate(match[1], match[2], match[3])) return null;
    if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59) return null;
    if (match[7] !== undefined) return validDate(new Date(time.dateTime));
    return zone ? validDate(fromZonedTime(time.dateTime, zone)) : null;
  }
  if (typeof time.date === 'string') {
    const match = DATE_ONLY.exec(time.date);
    if (!match || !isCalendarDate(match[1], match[2], match[3])) return null;
    return zone
      ? validDate(fromZonedTime(`${time.date}T00:00:00`, zone))
      : validDate(new Date(`${time.date}T00:00:00Z`));
  }
  return null;
}

function parseInstant(value: string | null | undefined): Date | null {
  if (typeof value !== 'string') return null;
  const match = DATE_TIME.exec(value);
  if (!match || match[7] === undefined || !isCalendarDate(match[1], match[2], match[3])) return null;
  return validDate(new Date(value));
}

/** `new Date` rolls 2025-02-30 over to March; a date Google never sent must not pass. */
function isCalendarDate(year?: string, month?: string, day?: string): boolean {
  const probe = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    probe.getUTCFullYear() === Number(year) &&
    probe.getUTCMonth() === Number(month) - 1 &&
    probe.getUTCDate() === Number(day)
  );
}

function validTimeZone(zone: string | null | undefined): string | null {
  if (typeof zone !== 'string' || zone === '') return null;
  try {
    dateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

function validDate(date: Date): Date | null {
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What the event says about one person, the participant (never the researcher). */
export type Attendance = 'accepted' | 'tentative' | 'needsAction' | 'declined' | 'removed' | 'unknown';

export function attendanceOf(event: GoogleEventView, email: string): Attendance {
  const wanted = normaliseEmail(email);
  const entry = event.attendees.find((attendee) => attendee.email === wanted);
  if (entry) return entry.responseStatus;
  return event.attendeesOmitted ? 'unknown' : 'removed';
}
