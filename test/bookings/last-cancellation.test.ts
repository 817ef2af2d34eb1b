import { cancelledBy } from '../../src/bookings/last-cancellation';
import { REASONS } from '../../src/sync/reconcile';

describe('Who ended the interview, as the booking page tells it', () => {
  test.each([
    ['participant', REASONS.participantDeclined, 'declined'],
    ['participant', null, 'you'],
    ['calendar', REASONS.eventCancelled, 'calendar'],
    ['calendar', REASONS.eventGone, 'calendar'],
    ['calendar', REASONS.participantRemoved, 'calendar'],
    ['researcher', 'no longer needed', 'researcher'],
    ['researcher', null, 'researcher'],
  ])('When the history says source %s and reason %p, then the page says %s', (source, reason, by) => {
    expect(cancelledBy(source, reason)).toBe(by);
  });
});
