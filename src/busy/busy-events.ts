import type { Interval } from '../availability';
import { resolveWallTime, wallMidnightOf } from '../availability/local-time';
import type { CalendarEvent } from '../google';

/**
 * What the researcher's calendar holds, reduced to what decides whether a slot is free.
 * Derived from events.list rather than freeBusy: freeBusy cannot tell a tentative event
 * from a firm one, nor our own booking events (already counted, with buffers, from our own
 * bookings table — and a participant moving their interview must not collide with it).
 */
export interface BusyEvent {
  /** RFC 3339 instant, or 'YYYY-MM-DD' for an all-day event. */
  start: string;
  end: string;
  allDay: boolean;
  transparent: boolean;
  tentative: boolean;
  /** The researcher said no to this invitation. */
  declined: boolean;
  /** Our own booking's event (extendedProperties.private.bookingId). */
  bookingId: string | null;
  /**
   * The researcher is out of office (eventType `outOfOffice`): blocks in every mode. Absent
   * in cache entries written before event types were read: not out of office.
   */
  outOfOffice?: boolean;
  /**
   * Another organizer's booking event, as it shows on a guest's calendar (a collective
   * interview's other host): Google keeps private properties to the organizer's copy, so
   * only the event id (eventIdForBooking) tells. It is busy time unless this researcher
   * hosts that booking — then the booking itself already counts (see hosted-copies.ts).
   */
  copyOfBookingId?: string;
  /**
   * For an all-day event: its calendar's time zone, as Google lists it. Google means the
   * dates as days in that zone; absent in cache entries written before it was read.
   */
  zone?: string;
}

/**
 * A busy event with its title, for the researcher's "why is this time not offered?" only.
 * Titles are never cached (the busy cache keeps what decides slots, nothing more); they
 * are read from Google at question time.
 */
export interface TitledBusyEvent extends BusyEvent {
  title: string | null;
}

export function toTitledBusyEvent(event: CalendarEvent): TitledBusyEvent | undefined {
  const busy = toBusyEvent(event);
  return busy ? { ...busy, title: event.summary?.trim() || null } : undefined;
}

export type ConflictHandling = 'busy' | 'strict' | 'off';

/**
 * The event types asked of Google for busy time (events.list `eventTypes`): meetings
 * (`default`), out of office, focus time and Gmail's reservations. A working location says
 * where the researcher works, not that the time is taken, and a birthday is a free all-day
 * marker (Google makes both transparent): neither is fetched.
 */
export const BUSY_EVENT_TYPES = ['default', 'outOfOffice', 'focusTime', 'fromGmail'] as const;

export function toBusyEvent(event: CalendarEvent): BusyEvent | undefined {
  if (event.status === 'cancelled') return undefined;
  // Google filters by type already; a listing without the filter must not block time either.
  const type = event.eventType ?? 'default';
  if (!(BUSY_EVENT_TYPES as readonly string[]).includes(type)) return undefined;
  const allDay = Boolean(event.start?.date && !event.start.dateTime);
  const start = event.start?.dateTime ?? event.start?.date;
  const end = event.end?.dateTime ?? event.end?.date;
  if (!start || !end) return undefined;
  const self = event.attendees?.find((attendee) => attendee.self);
  return {
    start,
    end,
    allDay,
    transparent: event.transparency === 'transparent',
    tentative: event.status === 'tentative' || self?.responseStatus === 'tentative',
    declined: self?.responseStatus === 'declined',
    bookingId: event.extendedProperties?.private?.bookingId ?? null,
    ...(type === 'outOfOffice' ? { outOfOffice: true } : {}),
    ...copyOf(event),
  };
}

const BOOKING_EVENT_ID = /^bk([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/;

function copyOf(event: CalendarEvent): { copyOfBookingId?: string } {
  if (event.extendedProperties?.private?.bookingId || event.organizer?.self) return {};
  const match = BOOKING_EVENT_ID.exec(event.id ?? '');
  return match ? { copyOfBookingId: match.slice(1).join('-') } : {};
}

/**
 * The study's conflict handling decides what blocks a slot (DESIGN 3, studies):
 * - `busy`: firm, opaque events the researcher has not declined — as Google's own "busy";
 * - `strict`: every event on the calendar, free or tentative alike;
 * - `off`: nothing on the calendar (only other bookings count)
 * — except that the researcher being out of office blocks in every mode: no setting should
 * book an interview on someone's holiday. Each instance of a recurring meeting is an event
 * of its own here (listed with singleEvents); a cancelled instance is not listed at all.
 * Working locations and birthdays never reach this point (see BUSY_EVENT_TYPES).
 * All-day dates are read in their calendar's zone (Google's meaning), else in `timeZone`.
 */
export function busyIntervals(
  events: readonly BusyEvent[],
  conflictHandling: ConflictHandling,
  timeZone: string,
): Interval[] {
  return blockingEvents(events, conflictHandling, timeZone).map(({ interval }) => interval);
}

/** The events that block slots (the rules of `busyIntervals`), each with its span of time. */
export function blockingEvents<E extends BusyEvent>(
  events: readonly E[],
  conflictHandling: ConflictHandling,
  timeZone: string,
): { event: E; interval: Interval }[] {
  const blocking: { event: E; interval: Interval }[] = [];
  for (const event of events) {
    if (!blocksSlot(event, conflictHandling)) continue;
    const interval = event.allDay
      ? {
          start: midnightIn(event.zone ?? timeZone, event.start),
          end: midnightIn(event.zone ?? timeZone, event.end),
        }
      : { start: new Date(event.start), end: new Date(event.end) };
    if (interval.end.getTime() > interval.start.getTime()) blocking.push({ event, interval });
  }
  return blocking;
}

function blocksSlot(event: BusyEvent, conflictHandling: ConflictHandling): boolean {
  if (event.bookingId) return false;
  if (event.outOfOffice) return true;
  if (conflictHandling === 'off') return false;
  return conflictHandling === 'strict' || !(event.transparent || event.tentative || event.declined);
}

function midnightIn(timeZone: string, date: string): Date {
  return new Date(resolveWallTime(timeZone, wallMidnightOf(date)).instant);
}
