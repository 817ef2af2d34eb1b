import { toBusyEvent } from '../../src/busy/busy-events';
import { eventIdForBooking } from '../../src/google';
import { describeRow } from '../../src/participants/timeline';
import type { TimelineRow } from '../../src/participants/timeline-repository';
import type { GoogleEventView } from '../../src/sync/google-event-view';
import {
  hostWarningText,
  observeHostResponses,
  type HostAnswer,
  type HostOnBooking,
} from '../../src/sync/host-responses';

const BEN = 'ben@example.com';

function event(overrides: Partial<GoogleEventView> = {}): GoogleEventView {
  return {
    id: 'bk1',
    status: 'confirmed',
    start: new Date('2026-12-10T10:00:00Z'),
    end: new Date('2026-12-10T10:30:00Z'),
    sequence: 0,
    updated: new Date('2026-12-05T10:00:00Z'),
    etag: '"1"',
    attendees: [
      { email: 'ada@example.com', responseStatus: 'accepted' },
      { email: BEN, responseStatus: 'needsAction' },
      { email: 'pat@example.org', responseStatus: 'accepted' },
    ],
    attendeesOmitted: false,
    ...overrides,
  };
}
const withBen = (responseStatus: GoogleEventView['attendees'][number]['responseStatus']) =>
  event({
    attendees: [
      { email: 'ada@example.com', responseStatus: 'accepted' },
      { email: BEN, responseStatus },
    ],
  });
const ben = (seen: HostAnswer | null): HostOnBooking => ({
  researcherId: 'r-ben',
  name: 'Ben Host',
  emails: ['Ben@Example.com', 'ben.calendar@example.com'],
  seen,
});

describe('What the organizer’s event says about the other hosts', () => {
  test('When a host declines, then it is one change, from their last answer, and remembered', () => {
    expect(observeHostResponses(withBen('declined'), [ben('accepted')])).toEqual({
      changes: [{ researcherId: 'r-ben', name: 'Ben Host', email: BEN, from: 'accepted', to: 'declined' }],
      answers: [{ researcherId: 'r-ben', answer: 'declined' }],
    });
  });

  test('When the event shows the answer already seen, then nothing changes', () => {
    expect(observeHostResponses(withBen('declined'), [ben('declined')])).toEqual({
      changes: [],
      answers: [],
    });
  });

  test('When a host is first seen accepting or without an answer, then it is the baseline, not news', () => {
    expect(observeHostResponses(withBen('accepted'), [ben(null)])).toEqual({
      changes: [],
      answers: [{ researcherId: 'r-ben', answer: 'accepted' }],
    });
  });

  test('When a host is first seen declined, then it is news (from no answer)', () => {
    expect(observeHostResponses(withBen('declined'), [ben(null)]).changes).toEqual([
      expect.objectContaining({ from: 'needsAction', to: 'declined' }),
    ]);
  });

  test('When a host is no longer on the guest list, then they are removed; unless Google omitted attendees', () => {
    const gone = event({ attendees: [{ email: 'pat@example.org', responseStatus: 'accepted' }] });
    expect(observeHostResponses(gone, [ben('accepted')]).changes).toEqual([
      expect.objectContaining({ to: 'removed', email: 'ben@example.com' }),
    ]);
    expect(observeHostResponses({ ...gone, attendeesOmitted: true }, [ben('accepted')])).toEqual({
      changes: [],
      answers: [],
    });
  });

  test('When the event is cancelled, then no host answer is read from it', () => {
    expect(observeHostResponses(event({ status: 'cancelled', attendees: [] }), [ben('accepted')])).toEqual({
      changes: [],
      answers: [],
    });
  });
});

describe('The words for it', () => {
  const entry = (from: string, to: string) =>
    describeRow(
      {
        origin: 'activity',
        at: new Date('2026-12-05T15:00:00Z'),
        atMicros: '1',
        rank: 2,
        ref: '1',
        kind: 'host_response',
        source: 'calendar',
        actor: null,
        actorName: null,
        reason: null,
        fromStatus: null,
        toStatus: null,
        details: { hostName: 'Ben Host', from, to },
      } as TimelineRow,
      'UTC',
    );

  test.each([
    ['accepted', 'declined', 'Ben Host declined the interview invitation'],
    ['declined', 'accepted', 'Ben Host accepted the interview invitation again'],
    ['needsAction', 'accepted', 'Ben Host accepted the interview invitation'],
    ['accepted', 'removed', "Ben Host was taken off the interview's guest list in Google Calendar"],
    ['removed', 'needsAction', "Ben Host is back on the interview's guest list"],
    ['accepted', 'tentative', 'Ben Host answered Maybe (tentative) to the interview invitation'],
  ])('When a host goes from %s to %s, then the timeline says “%s”', (from, to, summary) => {
    expect(entry(from, to)).toMatchObject({ kind: 'host_response', summary });
  });

  test('When a host declined, then the console’s warning says the interview goes ahead without them', () => {
    expect(hostWarningText({ hostName: 'Ben', answer: 'declined' })).toBe(
      'Ben declined: the interview goes ahead without them unless you move it',
    );
  });
});

describe('A copy of a booking event on a guest’s calendar', () => {
  const bookingId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const base = {
    id: eventIdForBooking(bookingId),
    start: { dateTime: '2026-12-10T10:00:00Z' },
    end: { dateTime: '2026-12-10T10:30:00Z' },
  };

  test('When another organizer’s booking event shows on a host’s calendar, then its booking id is read from the event id', () => {
    expect(toBusyEvent({ ...base, organizer: { email: 'ada@example.com' } })?.copyOfBookingId).toBe(
      bookingId,
    );
  });

  test('When it is the organizer’s own event (or any other event), then it is no copy', () => {
    expect(toBusyEvent({ ...base, organizer: { email: 'ada@example.com', self: true } })).not.toHaveProperty(
      'copyOfBookingId',
    );
    expect(toBusyEvent({ ...base, extendedProperties: { private: { bookingId } } })).not.toHaveProperty(
      'copyOfBookingId',
    );
    expect(toBusyEvent({ ...base, id: 'team0meeting' })).not.toHaveProperty('copyOfBookingId');
  });
});
