import { reconcileBooking } from '../../src/sync/reconcile';
import type { GoogleEventView } from '../../src/sync/google-event-view';

const start = new Date('2026-12-01T10:00:00Z');
const end = new Date('2026-12-01T10:30:00Z');

function acceptedEvent(updated: Date): GoogleEventView {
  return {
    id: 'bk0123456789',
    status: 'confirmed',
    start,
    end,
    sequence: 0,
    updated,
    etag: `"${updated.getTime()}"`,
    attendees: [
      { email: 'ada@example.com', responseStatus: 'accepted' },
      { email: 'pat@example.org', responseStatus: 'accepted' },
    ],
    attendeesOmitted: false,
  } as GoogleEventView;
}

const cancelledBooking = (cancelledAt: Date) => ({
  id: 'b1',
  state: 'cancelled' as const,
  start,
  end,
  googleEventId: 'bk0123456789',
  sequence: 0,
  eventUpdatedAt: new Date('2026-11-20T09:00:00Z'),
  etag: '"old"',
  cancelledAt,
});

const canceledParticipant = {
  status: 'canceled' as const,
  email: 'pat@example.org',
  lastStatusSource: 'participant' as const,
};

describe('An acceptance that Google recorded before the participant cancelled', () => {
  test('When the participant accepted in Google, then cancelled from the link, and the acceptance is synced late, then the cancel stands', () => {
    const outcome = reconcileBooking({
      booking: cancelledBooking(new Date('2026-11-25T12:00:00Z')),
      participant: canceledParticipant,
      event: acceptedEvent(new Date('2026-11-25T11:00:00Z')),
    });

    expect(outcome.statusChange).toBeUndefined();
    expect(outcome.bookingChanges.state).toBeUndefined();
  });

  test('When the participant accepts again after the cancellation, then the cancel stands too, and the outcome says why', () => {
    const outcome = reconcileBooking({
      booking: cancelledBooking(new Date('2026-11-25T12:00:00Z')),
      participant: canceledParticipant,
      event: acceptedEvent(new Date('2026-11-25T13:00:00Z')),
    });

    expect(outcome.statusChange).toBeUndefined();
    expect(outcome.bookingChanges.state).toBeUndefined();
    expect(outcome.ignoredBecause).toBe('accepted after cancel');
  });
});
