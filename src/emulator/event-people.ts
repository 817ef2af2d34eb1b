import type { EventAttendee, EventPerson, EventResource } from './state';

/**
 * Google marks the calendar's owner with `self: true` wherever they appear on an event
 * (organizer, creator, their attendee entry). One event held in two calendars (the
 * organizer's and an attendee's copy) differs in exactly these flags.
 */
export function personAs(person: EventPerson, viewer: string): EventPerson {
  const { self: _self, ...rest } = person;
  return person.email === viewer ? { ...rest, self: true } : rest;
}

export function attendeeAs(attendee: EventAttendee, viewer: string): EventAttendee {
  const { self: _self, ...rest } = attendee;
  return attendee.email === viewer ? { ...rest, self: true } : rest;
}

/** The event as it shows in `viewer`'s calendar. */
export function eventAs(event: EventResource, viewer: string): EventResource {
  return {
    ...event,
    organizer: personAs(event.organizer, viewer),
    creator: personAs(event.creator, viewer),
    ...(event.attendees
      ? { attendees: event.attendees.map((attendee) => attendeeAs(attendee, viewer)) }
      : {}),
  };
}

/** Whether `owner`'s calendar holds this event as an invitation from someone else. */
export function isInvitation(event: EventResource, owner: string): boolean {
  return event.organizer.email !== owner;
}
