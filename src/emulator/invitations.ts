import type { SendUpdates } from './event-input';
import type { EmulatorState, EventResource, InvitationRecord } from './state';

type Kind = InvitationRecord['kind'];

const domainOf = (email: string) => email.split('@')[1] ?? '';

/**
 * What Google would email for a change, per `sendUpdates`: never to the organizer; with
 * `externalOnly` only to addresses outside the organizer's domain; with `none` to nobody.
 */
export function recordInvitations(
  state: EmulatorState,
  event: EventResource,
  messages: Array<{ to: string; kind: Kind }>,
  sendUpdates: SendUpdates,
  nowMs: number,
): void {
  if (sendUpdates === 'none') return;
  const organizer = event.organizer.email;
  for (const { to, kind } of messages) {
    if (to === organizer) continue;
    if (sendUpdates === 'externalOnly' && domainOf(to) === domainOf(organizer)) continue;
    state.invitations.push({
      calendarId: organizer,
      eventId: event.id,
      to,
      kind,
      at: new Date(nowMs).toISOString(),
    });
  }
}

const SIGNIFICANT_FIELDS = [
  'start',
  'end',
  'summary',
  'description',
  'location',
  'status',
  'hangoutLink',
] as const;

/** The messages a change from `before` to `after` sends to the attendees. */
export function messagesForChange(
  before: EventResource,
  after: EventResource,
): Array<{ to: string; kind: Kind }> {
  const was = new Set((before.attendees ?? []).map((attendee) => attendee.email));
  const now = new Set((after.attendees ?? []).map((attendee) => attendee.email));
  if (after.status === 'cancelled' && before.status !== 'cancelled') {
    return [...new Set([...was, ...now])].map((to) => ({ to, kind: 'cancellation' }));
  }
  const significant = SIGNIFICANT_FIELDS.some(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
  const messages: Array<{ to: string; kind: Kind }> = [];
  for (const to of now) {
    if (!was.has(to)) messages.push({ to, kind: 'invitation' });
    else if (significant) messages.push({ to, kind: 'update' });
  }
  for (const to of was) if (!now.has(to)) messages.push({ to, kind: 'cancellation' });
  return messages;
}
