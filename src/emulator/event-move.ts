import { ApiError, deleted, duplicate, invalid } from './errors';
import { eventAs, isInvitation } from './event-people';
import type { SendUpdates } from './event-input';
import { commit, findEvent, type WriteContext } from './events-store';
import { recordInvitations } from './invitations';
import type { CalendarRecord, EventResource, StoredEvent } from './state';

/**
 * `events.move`: the event changes its organizer calendar (Google: "Moves an event to another
 * calendar, i.e. changes an event's organizer"). Same id, same iCalUID, same conference; the
 * destination's owner is the organizer from now on. The calendar it left changes too:
 * - its owner is a guest of the event (our interviews list the researcher): the event stays
 *   there as that guest's copy — an invitation from the new organizer, `self: true` on the
 *   owner's attendee entry — and follows the organizer's later changes;
 * - otherwise it leaves the listing: `cancelled` in an incremental sync, as a deletion is.
 * Only the organizer can move an event (403 `forbiddenForNonOrganizer` for a guest's copy).
 */
export function moveEventToCalendar(
  context: WriteContext,
  source: CalendarRecord,
  destination: CalendarRecord,
  eventId: string,
  sendUpdates: SendUpdates,
): EventResource {
  const stored = findEvent(source, eventId);
  if (stored.resource.status === 'cancelled') throw deleted();
  if (isInvitation(stored.resource, source.owner)) {
    throw new ApiError(
      403,
      'forbiddenForNonOrganizer',
      'The operation can only be performed by the event organizer.',
    );
  }
  if (destination.owner === source.owner) throw invalid('The event is already on this calendar.');
  const existing = destination.events[eventId];
  // Only a guest's copy of this very event may be replaced by the organizer's.
  if (existing && existing.resource.organizer.email !== source.owner) throw duplicate();

  const before = stored.resource;
  const organizer = { email: destination.owner };
  const moved = eventAs({ ...before, organizer }, destination.owner);
  const target: StoredEvent = existing ?? {
    resource: moved,
    changeSeq: 0,
    createdSeq: Object.keys(destination.events).length + 1,
  };
  target.resource = { ...moved, htmlLink: before.htmlLink };
  destination.events[eventId] = target;
  if (moved.conferenceData?.createRequest) {
    destination.conferences[moved.conferenceData.createRequest.requestId] = moved.conferenceData;
  }

  const ownerIsGuest = (before.attendees ?? []).some((attendee) => attendee.email === source.owner);
  stored.resource = ownerIsGuest
    ? eventAs({ ...before, organizer }, source.owner)
    : { ...before, status: 'cancelled' };
  // The destination first: committing it updates the guest copy left in the source as well.
  commit(context, destination, target);
  if (!ownerIsGuest) commit(context, source, stored);
  recordInvitations(
    context.state,
    target.resource,
    (target.resource.attendees ?? []).map((attendee) => ({ to: attendee.email, kind: 'update' as const })),
    sendUpdates,
    context.nowMs,
  );
  return target.resource;
}
