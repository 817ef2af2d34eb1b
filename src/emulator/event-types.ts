import { invalid } from './errors';
import type { EventResource } from './state';

/**
 * `eventType` as Google documents it (guides "Event types" and "Manage focus time, out of
 * office, and working location events"): every event has one, `default` when unset; it
 * cannot change after creation; `fromGmail` events cannot be created through the API;
 * birthdays are one-day all-day events recurring yearly, private and transparent.
 */

export const EVENT_TYPES = [
  'default',
  'birthday',
  'focusTime',
  'fromGmail',
  'outOfOffice',
  'workingLocation',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const YEARLY = ['RRULE:FREQ=YEARLY', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1'];
const DAY_MS = 86_400_000;

export function eventTypeOf(event: { eventType?: unknown }): EventType {
  return isEventType(event.eventType) ? event.eventType : 'default';
}

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/** Free/busy: a working location says where, not that the time is taken; a birthday is free. */
export function typeBlocksTime(type: EventType): boolean {
  return type !== 'workingLocation' && type !== 'birthday';
}

/** The `eventTypes` list parameter: every value must be a known type. */
export function parseEventTypes(values: string[]): EventType[] | undefined {
  if (values.length === 0) return undefined;
  for (const value of values)
    if (!isEventType(value)) throw invalid(`Invalid value for eventTypes: ${value}`);
  return values as EventType[];
}

/** The type a write leaves the event with; 400 for a type that cannot be created or changed. */
export function checkEventType(
  requested: unknown,
  previous: EventResource | undefined,
  event: Pick<EventResource, 'start' | 'end' | 'transparency' | 'visibility' | 'recurrence' | 'attendees'>,
): EventType {
  if (requested !== undefined && requested !== null && !isEventType(requested)) {
    throw invalid(`Invalid event type: ${String(requested)}`);
  }
  const type = isEventType(requested) ? requested : previous ? eventTypeOf(previous) : 'default';
  if (previous && type !== eventTypeOf(previous)) throw invalid('Event type cannot be changed.');
  if (!previous && type === 'fromGmail') throw invalid('Events of type fromGmail cannot be created.');
  if (type === 'birthday') checkBirthday(event);
  return type;
}

function checkBirthday(
  event: Pick<EventResource, 'start' | 'end' | 'transparency' | 'visibility' | 'recurrence' | 'attendees'>,
): void {
  const { start, end } = event;
  const oneDay =
    start.date !== undefined &&
    end.date !== undefined &&
    Date.parse(`${end.date}T00:00:00Z`) - Date.parse(`${start.date}T00:00:00Z`) === DAY_MS;
  if (!oneDay) throw invalid('A birthday event must be an all-day event spanning exactly one day.');
  if (event.visibility !== 'private') throw invalid('A birthday event must have visibility private.');
  if (event.transparency !== 'transparent') throw invalid('A birthday event must be transparent.');
  const recurrence = Array.isArray(event.recurrence) ? (event.recurrence as unknown[]) : [];
  if (recurrence.length !== 1 || !YEARLY.includes(String(recurrence[0]))) {
    throw invalid('A birthday event must recur yearly (RRULE:FREQ=YEARLY).');
  }
  if (event.attendees && event.attendees.length > 0) throw invalid('A birthday event cannot have attendees.');
}
