import fc from 'fast-check';
import {
  PARTICIPANT_STATUSES,
  STATUS_SOURCES,
  type ParticipantStatus,
  type StatusSource,
} from '../../src/participants/status-rules';
import type { AttendeeResponse, GoogleEventView } from '../../src/sync/google-event-view';
import {
  isAppliedVersion,
  REASONS,
  reconcileBooking,
  type BookingSnapshot,
  type BookingState,
  type GoneEvent,
  type ParticipantSnapshot,
  type ReconcileInput,
  type ReconcileOutcome,
} from '../../src/sync/reconcile';

const EVENT_ID = 'bk0f8fad5bd9cb469fa16570867728950e';
const at = (iso: string) => new Date(iso);
const START = at('2026-03-02T10:00:00Z');
const END = at('2026-03-02T10:45:00Z');
const APPLIED_AT = at('2026-02-20T08:00:00Z');
const LATER = at('2026-02-21T09:30:00Z');
const RESEARCHER = 'researcher@lab.test';
const PARTICIPANT = 'pat.doe@example.com';

const booking = (overrides: Partial<BookingSnapshot> = {}): BookingSnapshot => ({
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  state: 'confirmed',
  start: START,
  end: END,
  googleEventId: EVENT_ID,
  sequence: 0,
  eventUpdatedAt: APPLIED_AT,
  etag: '"e-applied"',
  ...overrides,
});

const participant = (overrides: Partial<ParticipantSnapshot> = {}): ParticipantSnapshot => ({
  status: 'scheduled',
  email: PARTICIPANT,
  lastStatusSource: 'system',
  ...overrides,
});

/** Google's copy after a change: a new etag and `updated`, both attendees as invited. */
const event = (
  overrides: Partial<GoogleEventView> = {},
  replies: { researcher?: AttendeeResponse; participant?: AttendeeResponse } = {},
): GoogleEventView => ({
  id: EVENT_ID,
  status: 'confirmed',
  start: START,
  end: END,
  sequence: 0,
  updated: LATER,
  etag: '"e-new"',
  attendees: [
    { email: RESEARCHER, responseStatus: replies.researcher ?? 'accepted' },
    { email: PARTICIPANT, responseStatus: replies.participant ?? 'needsAction' },
  ],
  attendeesOmitted: false,
  ...overrides,
});

const GONE: GoneEvent = { gone: true };
const NEW_VERSION = { eventUpdatedAt: LATER, etag: '"e-new"' };
const MOVED_START = at('2026-03-03T14:00:00Z');
const MOVED_END = at('2026-03-03T14:45:00Z');
const MOVED_DETAILS = {
  fromStart: '2026-03-02T10:00:00.000Z',
  fromEnd: '2026-03-02T10:45:00.000Z',
  toStart: '2026-03-03T14:00:00.000Z',
  toEnd: '2026-03-03T14:45:00.000Z',
};

const toCanceled = (from: ParticipantStatus, source: 'calendar' | 'participant', reason: string) => ({
  statusChange: { from, to: 'canceled' as const, source, reason },
  row: { kind: 'status' as const, from, to: 'canceled' as const, source, reason },
});
const eventCancelled = toCanceled('scheduled', 'calendar', REASONS.eventCancelled);
const declined = toCanceled('scheduled', 'participant', REASONS.participantDeclined);

interface Story {
  story: string;
  booking?: Partial<BookingSnapshot>;
  participant?: Partial<ParticipantSnapshot>;
  event: GoogleEventView | GoneEvent;
  expected: ReconcileOutcome;
}

const stories: Story[] = [
  {
    story:
      'When the researcher cancels the event in Google, then the booking is cancelled and the participant canceled by the calendar',
    event: event({ status: 'cancelled', sequence: 1 }),
    expected: {
      bookingChanges: { state: 'cancelled', sequence: 1, ...NEW_VERSION },
      statusChange: eventCancelled.statusChange,
      historyRows: [eventCancelled.row],
    },
  },
  {
    story:
      'When the event is gone from Google, then the booking is cancelled and the participant canceled by the calendar',
    event: GONE,
    expected: {
      bookingChanges: { state: 'cancelled' },
      statusChange: toCanceled('scheduled', 'calendar', REASONS.eventGone).statusChange,
      historyRows: [toCanceled('scheduled', 'calendar', REASONS.eventGone).row],
    },
  },
  {
    story:
      'When the event of a pending booking is not found, then nothing changes (the insert may be still to come)',
    booking: { state: 'pending', sequence: null, eventUpdatedAt: null, etag: null },
    participant: { status: 'invited' },
    event: GONE,
    expected: { bookingChanges: {}, historyRows: [], ignoredBecause: 'not inserted yet' },
  },
  {
    story: 'When the event of an already cancelled booking is gone, then nothing changes',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'researcher' },
    event: GONE,
    expected: { bookingChanges: {}, historyRows: [], ignoredBecause: 'unchanged' },
  },
  {
    story:
      'When the participant declines, then the booking is cancelled to free the slot and the participant canceled by the participant',
    event: event({}, { participant: 'declined' }),
    expected: {
      bookingChanges: { state: 'cancelled', ...NEW_VERSION },
      statusChange: declined.statusChange,
      historyRows: [declined.row],
      deleteEvent: true,
    },
  },
  {
    story:
      'When the participant declines under a differently cased e-mail, then it still counts as their decline',
    participant: { email: 'Pat.Doe@Example.COM' },
    event: event({}, { participant: 'declined' }),
    expected: {
      bookingChanges: { state: 'cancelled', ...NEW_VERSION },
      statusChange: declined.statusChange,
      historyRows: [declined.row],
      deleteEvent: true,
    },
  },
  {
    story: "When only the researcher declines their own event, then the participant's status is untouched",
    event: event({}, { researcher: 'declined', participant: 'accepted' }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [] },
  },
  {
    story:
      'When the participant accepts after declining, then the cancellation stands (they book again from the link) and the log says why',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'participant' },
    event: event({}, { participant: 'accepted' }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [], ignoredBecause: 'accepted after cancel' },
  },
  {
    story: 'When the participant answers "maybe" after declining, then the cancellation stands as well',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'participant' },
    event: event({}, { participant: 'tentative' }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [], ignoredBecause: 'accepted after cancel' },
  },
  {
    story: 'When a declined participant is back to "no answer", then the booking stays cancelled',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'participant' },
    event: event({}, { participant: 'needsAction' }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [] },
  },
  {
    story:
      'When the participant accepts an old invitation after the researcher cancelled by hand, then the manual cancel is kept',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'researcher' },
    event: event({}, { participant: 'accepted' }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [], ignoredBecause: 'manual status kept' },
  },
  {
    story:
      'When a cancelled event is restored in Google with the participant on it, then the booking comes back via the calendar',
    booking: { state: 'cancelled', sequence: 1 },
    participant: { status: 'canceled', lastStatusSource: 'calendar' },
    event: event({ sequence: 2 }),
    expected: {
      bookingChanges: { state: 'confirmed', sequence: 2, ...NEW_VERSION },
      needsSlotReclaim: true,
      statusChange: {
        from: 'canceled',
        to: 'scheduled',
        source: 'calendar',
        reason: REASONS.eventStandsAgain,
      },
      historyRows: [
        {
          kind: 'status',
          from: 'canceled',
          to: 'scheduled',
          source: 'calendar',
          reason: REASONS.eventStandsAgain,
        },
      ],
    },
  },
  {
    story:
      'When a cancelled booking comes back at a new time, then the times follow the event and both rows are written',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'calendar' },
    event: event({ start: MOVED_START, end: MOVED_END, sequence: 1 }, { participant: 'accepted' }),
    expected: {
      bookingChanges: { state: 'confirmed', start: MOVED_START, end: MOVED_END, sequence: 1, ...NEW_VERSION },
      needsSlotReclaim: true,
      statusChange: {
        from: 'canceled',
        to: 'scheduled',
        source: 'calendar',
        reason: REASONS.eventStandsAgain,
      },
      historyRows: [
        {
          kind: 'status',
          from: 'canceled',
          to: 'scheduled',
          source: 'calendar',
          reason: REASONS.eventStandsAgain,
        },
        { kind: 'rescheduled', to: 'scheduled', source: 'calendar', details: MOVED_DETAILS },
      ],
    },
  },
  {
    story:
      'When the researcher moves the event, then the times follow, the status stays scheduled and a rescheduled row records old and new times',
    event: event({ start: MOVED_START, end: MOVED_END, sequence: 1 }, { participant: 'accepted' }),
    expected: {
      bookingChanges: { start: MOVED_START, end: MOVED_END, sequence: 1, ...NEW_VERSION },
      historyRows: [{ kind: 'rescheduled', to: 'scheduled', source: 'calendar', details: MOVED_DETAILS }],
    },
  },
  {
    story: 'When only the end moves (a longer interview), then only the end is written',
    event: event({ end: MOVED_END, sequence: 1 }),
    expected: {
      bookingChanges: { end: MOVED_END, sequence: 1, ...NEW_VERSION },
      historyRows: [
        {
          kind: 'rescheduled',
          to: 'scheduled',
          source: 'calendar',
          details: { ...MOVED_DETAILS, toStart: MOVED_DETAILS.fromStart },
        },
      ],
    },
  },
  {
    story:
      'When the event is moved and declined at once, then both the rescheduled row and the status row are written',
    event: event({ start: MOVED_START, end: MOVED_END, sequence: 1 }, { participant: 'declined' }),
    expected: {
      bookingChanges: { state: 'cancelled', start: MOVED_START, end: MOVED_END, sequence: 1, ...NEW_VERSION },
      statusChange: declined.statusChange,
      historyRows: [
        { kind: 'rescheduled', to: 'scheduled', source: 'calendar', details: MOVED_DETAILS },
        declined.row,
      ],
      deleteEvent: true,
    },
  },
  {
    story:
      'When a cancelled event also carries other times, then the cancelled booking keeps the times that were booked',
    event: event({ status: 'cancelled', start: MOVED_START, end: MOVED_END, sequence: 1 }),
    expected: {
      bookingChanges: { state: 'cancelled', sequence: 1, ...NEW_VERSION },
      statusChange: eventCancelled.statusChange,
      historyRows: [eventCancelled.row],
    },
  },
  {
    story: 'When an event with a lower sequence arrives late, then it is ignored as stale',
    booking: { sequence: 3 },
    event: event({ status: 'cancelled', sequence: 2 }),
    expected: { bookingChanges: {}, historyRows: [], ignoredBecause: 'stale' },
  },
  {
    story:
      'When a decline older than the applied accept arrives late (same sequence), then it is ignored as stale',
    booking: { sequence: 1, eventUpdatedAt: LATER },
    event: event({ sequence: 1, updated: APPLIED_AT }, { participant: 'declined' }),
    expected: { bookingChanges: {}, historyRows: [], ignoredBecause: 'stale' },
  },
  {
    story: 'When the sequence went up, then an older `updated` does not make the event stale',
    booking: { sequence: 1, eventUpdatedAt: LATER },
    event: event({ sequence: 2, updated: APPLIED_AT, start: MOVED_START, end: MOVED_END }),
    expected: {
      bookingChanges: {
        start: MOVED_START,
        end: MOVED_END,
        sequence: 2,
        eventUpdatedAt: APPLIED_AT,
        etag: '"e-new"',
      },
      historyRows: [{ kind: 'rescheduled', to: 'scheduled', source: 'calendar', details: MOVED_DETAILS }],
    },
  },
  {
    story: 'When the same event is delivered again (same etag), then nothing changes',
    event: event({ etag: '"e-applied"' }, { participant: 'declined' }),
    expected: { bookingChanges: {}, historyRows: [], ignoredBecause: 'unchanged' },
  },
  {
    story: 'When only an unrelated field changed (new etag, same data), then only the version is recorded',
    event: event(),
    expected: { bookingChanges: NEW_VERSION, historyRows: [] },
  },
  {
    story: 'When a sync tombstone without sequence or updated arrives, then the cancellation still applies',
    booking: { sequence: 4 },
    event: event({
      status: 'cancelled',
      sequence: null,
      updated: null,
      start: null,
      end: null,
      attendees: [],
    }),
    expected: {
      bookingChanges: { state: 'cancelled', etag: '"e-new"' },
      statusChange: eventCancelled.statusChange,
      historyRows: [eventCancelled.row],
    },
  },
  {
    story:
      'When the event is cancelled after a no-show was recorded, then the booking follows the event but the no-show is kept',
    participant: { status: 'no_show', lastStatusSource: 'researcher' },
    event: event({ status: 'cancelled', sequence: 1 }),
    expected: {
      bookingChanges: { state: 'cancelled', sequence: 1, ...NEW_VERSION },
      historyRows: [],
      ignoredBecause: 'manual status kept',
    },
  },
  {
    story: 'When a completed interview is moved, then the times follow and the status stays completed',
    participant: { status: 'completed', lastStatusSource: 'researcher' },
    event: event({ start: MOVED_START, end: MOVED_END, sequence: 1 }),
    expected: {
      bookingChanges: { start: MOVED_START, end: MOVED_END, sequence: 1, ...NEW_VERSION },
      historyRows: [{ kind: 'rescheduled', to: 'completed', source: 'calendar', details: MOVED_DETAILS }],
    },
  },
  {
    story: 'When the participant declines after the interview was marked completed, then completed is kept',
    participant: { status: 'completed', lastStatusSource: 'researcher' },
    event: event({}, { participant: 'declined' }),
    expected: {
      bookingChanges: { state: 'cancelled', ...NEW_VERSION },
      historyRows: [],
      ignoredBecause: 'manual status kept',
    },
  },
  {
    story:
      'When the participant is already canceled and the event is cancelled, then only the booking follows',
    participant: { status: 'canceled', lastStatusSource: 'researcher' },
    event: event({ status: 'cancelled', sequence: 1 }),
    expected: { bookingChanges: { state: 'cancelled', sequence: 1, ...NEW_VERSION }, historyRows: [] },
  },
  {
    story: 'When the event of an already cancelled booking is cancelled, then only the version is recorded',
    booking: { state: 'cancelled' },
    participant: { status: 'canceled', lastStatusSource: 'participant' },
    event: event({ status: 'cancelled', sequence: 1 }),
    expected: { bookingChanges: { sequence: 1, ...NEW_VERSION }, historyRows: [] },
  },
  {
    story:
      'When the researcher removes the participant from the event, then the participant is canceled by the calendar',
    event: event({ attendees: [{ email: RESEARCHER, responseStatus: 'accepted' }] }),
    expected: {
      bookingChanges: { state: 'cancelled', ...NEW_VERSION },
      statusChange: toCanceled('scheduled', 'calendar', REASONS.participantRemoved).statusChange,
      historyRows: [toCanceled('scheduled', 'calendar', REASONS.participantRemoved).row],
    },
  },
  {
    story: 'When Google omitted attendees and the participant is not listed, then nothing is concluded',
    event: event({ attendees: [{ email: RESEARCHER, responseStatus: 'accepted' }], attendeesOmitted: true }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [] },
  },
  {
    story: 'When a copy of our event (another id, same bookingId) arrives, then it is ignored',
    event: event({ id: 'someothereventid', status: 'cancelled' }),
    expected: { bookingChanges: {}, historyRows: [], ignoredBecause: 'another event' },
  },
  {
    story:
      'When an old cancelled booking sees an accept while the participant is scheduled elsewhere, then it stays history',
    booking: { state: 'cancelled' },
    participant: { status: 'scheduled', lastStatusSource: 'system' },
    event: event({}, { participant: 'accepted' }),
    expected: { bookingChanges: NEW_VERSION, historyRows: [] },
  },
  {
    story:
      'When the participant declines a pending booking, then it is cancelled and the invited participant canceled',
    booking: { state: 'pending', sequence: null, eventUpdatedAt: null, etag: null },
    participant: { status: 'invited', lastStatusSource: 'system' },
    event: event({}, { participant: 'declined' }),
    expected: {
      bookingChanges: { state: 'cancelled', sequence: 0, ...NEW_VERSION },
      statusChange: toCanceled('invited', 'participant', REASONS.participantDeclined).statusChange,
      historyRows: [toCanceled('invited', 'participant', REASONS.participantDeclined).row],
      deleteEvent: true,
    },
  },
  {
    story:
      'When a pending booking sees its standing event, then only the version is recorded (confirming is the booking flow’s job)',
    booking: { state: 'pending', sequence: null, eventUpdatedAt: null, etag: null },
    participant: { status: 'invited', lastStatusSource: 'system' },
    event: event({}, { participant: 'accepted' }),
    expected: { bookingChanges: { sequence: 0, ...NEW_VERSION }, historyRows: [] },
  },
];

describe('Reconciling a booking with its Google event', () => {
  test.each(stories.map((s) => [s.story, s] as const))('%s', (_story, s) => {
    const outcome = reconcileBooking({
      booking: booking(s.booking),
      participant: participant(s.participant),
      event: s.event,
    });
    expect(outcome).toEqual(s.expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random bookings, participants and events drawn from small pools, so that equal
// sequences, equal times and matching e-mails happen often.

const instants = [START, END, MOVED_START, MOVED_END, APPLIED_AT, LATER];
const anInstant = fc.constantFrom(...instants);
const anInterval = fc.constantFrom<[Date, Date]>([START, END], [MOVED_START, MOVED_END], [START, MOVED_END]);
const anEtag = fc.option(fc.constantFrom('"a"', '"b"', '"c"'), { nil: null });
const aSequence = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
const aStatus = fc.constantFrom<ParticipantStatus>(...PARTICIPANT_STATUSES);
const aSource = fc.option(fc.constantFrom<StatusSource>(...STATUS_SOURCES), { nil: null });
const aReply = fc.constantFrom<AttendeeResponse>('needsAction', 'declined', 'tentative', 'accepted');

const aBooking = fc
  .record({
    state: fc.constantFrom<BookingState>('pending', 'confirmed', 'cancelled'),
    interval: anInterval,
    sequence: aSequence,
    eventUpdatedAt: fc.option(anInstant, { nil: null }),
    etag: anEtag,
  })
  .map(({ interval, ...rest }) => booking({ ...rest, start: interval[0], end: interval[1] }));

const aParticipant = fc.record({
  status: aStatus,
  email: fc.constantFrom(PARTICIPANT, 'PAT.DOE@example.com'),
  lastStatusSource: aSource,
});

const aStandingOrCancelledEvent = fc
  .record({
    status: fc.constantFrom<GoogleEventView['status']>('confirmed', 'tentative', 'cancelled'),
    interval: fc.option(anInterval, { nil: null }),
    sequence: aSequence,
    updated: fc.option(anInstant, { nil: null }),
    etag: anEtag,
    researcherReply: aReply,
    participantReply: fc.option(aReply, { nil: null }),
    attendeesOmitted: fc.boolean(),
  })
  .map((e): GoogleEventView => ({
    id: EVENT_ID,
    status: e.status,
    start: e.interval?.[0] ?? null,
    end: e.interval?.[1] ?? null,
    sequence: e.sequence,
    updated: e.updated,
    etag: e.etag,
    attendees: [
      { email: RESEARCHER, responseStatus: e.researcherReply },
      ...(e.participantReply ? [{ email: PARTICIPANT, responseStatus: e.participantReply }] : []),
    ],
    attendeesOmitted: e.attendeesOmitted,
  }));

const anEvent = fc.oneof(
  { weight: 9, arbitrary: aStandingOrCancelledEvent },
  { weight: 1, arbitrary: fc.constant<GoneEvent>(GONE) },
);

/** What the caller does with an outcome, assuming the slot reclaim (if any) succeeds. */
describe('A move made here that Google has not followed yet (eventMovedFrom)', () => {
  // The booking moved from the event's time (START–END) to MOVED_*; the patch is still on its way.
  const movedHere = booking({
    start: MOVED_START,
    end: MOVED_END,
    eventMovedFrom: { start: START, end: END },
  });

  test('When the event still shows the time the booking moved from, then the booking keeps its new time', () => {
    const outcome = reconcileBooking({
      booking: movedHere,
      participant: participant(),
      event: event({}, { participant: 'accepted' }),
    });

    expect(outcome.bookingChanges).toEqual(NEW_VERSION);
    expect(outcome.historyRows).toEqual([]);
  });

  test("When the event shows the booking's new time, then the move has arrived", () => {
    const outcome = reconcileBooking({
      booking: movedHere,
      participant: participant(),
      event: event({ start: MOVED_START, end: MOVED_END, sequence: 1 }),
    });

    expect(outcome.bookingChanges).toEqual({ ...NEW_VERSION, sequence: 1, moveArrived: true });
    expect(outcome.historyRows).toEqual([]);
  });

  test('When the event shows a third time (moved in Google), then the booking follows it', () => {
    const third = at('2026-03-04T09:00:00Z');
    const thirdEnd = at('2026-03-04T09:45:00Z');

    const outcome = reconcileBooking({
      booking: movedHere,
      participant: participant(),
      event: event({ start: third, end: thirdEnd, sequence: 1 }),
    });

    expect(outcome.bookingChanges).toEqual({ ...NEW_VERSION, sequence: 1, start: third, end: thirdEnd });
    expect(outcome.historyRows).toEqual([
      expect.objectContaining({ kind: 'rescheduled', source: 'calendar' }),
    ]);
  });
});

function applyOutcome(input: ReconcileInput, outcome: ReconcileOutcome): ReconcileInput {
  const change = outcome.statusChange;
  return {
    event: input.event,
    booking: { ...input.booking, ...outcome.bookingChanges },
    participant: change
      ? { ...input.participant, status: change.to, lastStatusSource: change.source }
      : input.participant,
  };
}

function expectNoChanges(outcome: ReconcileOutcome): void {
  expect(outcome.bookingChanges).toEqual({});
  expect(outcome.statusChange).toBeUndefined();
  expect(outcome.historyRows).toEqual([]);
  expect(outcome.needsSlotReclaim).toBeUndefined();
}

describe('Reconciliation properties', () => {
  test('When an event is recognised as the version already applied, then reconciling it would change nothing', () => {
    fc.assert(
      fc.property(aBooking, aParticipant, anEvent, (b, p, e) => {
        fc.pre(isAppliedVersion(b, e));
        expectNoChanges(reconcileBooking({ booking: b, participant: p, event: e }));
      }),
      { numRuns: 2000 },
    );
    expect(isAppliedVersion(booking(), event({ etag: '"e-applied"' }))).toBe(true);
    expect(isAppliedVersion(booking(), event())).toBe(false);
    expect(isAppliedVersion(booking({ etag: null }), event({ etag: null }))).toBe(false);
    expect(isAppliedVersion(booking(), GONE)).toBe(false);
  });

  test('When an outcome is applied and the same event reconciled again, then nothing changes', () => {
    fc.assert(
      fc.property(aBooking, aParticipant, anEvent, (b, p, e) => {
        const input: ReconcileInput = { booking: b, participant: p, event: e };
        expectNoChanges(reconcileBooking(applyOutcome(input, reconcileBooking(input))));
      }),
      { numRuns: 2000 },
    );
  });

  test('When Google sends no etag, then reconciling the same event twice still changes nothing the second time', () => {
    fc.assert(
      fc.property(aBooking, aParticipant, aStandingOrCancelledEvent, (b, p, e) => {
        const input: ReconcileInput = { booking: b, participant: p, event: { ...e, etag: null } };
        expectNoChanges(reconcileBooking(applyOutcome(input, reconcileBooking(input))));
      }),
      { numRuns: 2000 },
    );
  });

  test('When a researcher set no-show or completed, then reconciling never changes the status', () => {
    fc.assert(
      fc.property(
        aBooking,
        aParticipant,
        fc.constantFrom<ParticipantStatus>('no_show', 'completed'),
        anEvent,
        (b, p, manual, e) => {
          const outcome = reconcileBooking({ booking: b, participant: { ...p, status: manual }, event: e });
          expect(outcome.statusChange).toBeUndefined();
          expect(outcome.historyRows.filter((row) => row.kind === 'status')).toEqual([]);
          expect(outcome.needsSlotReclaim).toBeUndefined();
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('When a researcher cancelled by hand, then reconciling never brings the interview back', () => {
    fc.assert(
      fc.property(aBooking, aParticipant, anEvent, (b, p, e) => {
        const outcome = reconcileBooking({
          booking: b,
          participant: { ...p, status: 'canceled', lastStatusSource: 'researcher' },
          event: e,
        });
        expect(outcome.statusChange).toBeUndefined();
        expect(outcome.needsSlotReclaim).toBeUndefined();
        expect(outcome.bookingChanges.state).not.toBe('confirmed');
      }),
      { numRuns: 2000 },
    );
  });

  test('When the event is older than what was applied, then nothing changes at all', () => {
    const staleCase = fc
      .record({
        appliedSequence: fc.integer({ min: 0, max: 5 }),
        lower: fc.boolean(),
        appliedAt: anInstant,
        olderBy: fc.integer({ min: 1, max: 10_000_000 }),
      })
      .map(({ appliedSequence, lower, appliedAt, olderBy }) =>
        // Either a lower sequence (any `updated`), or the same sequence with an older `updated`.
        lower && appliedSequence > 0
          ? {
              booking: { sequence: appliedSequence, eventUpdatedAt: appliedAt },
              sequence: appliedSequence - 1,
              updated: undefined,
            }
          : {
              booking: { sequence: appliedSequence, eventUpdatedAt: appliedAt },
              sequence: appliedSequence,
              updated: new Date(appliedAt.getTime() - olderBy),
            },
      );
    fc.assert(
      fc.property(aBooking, aParticipant, aStandingOrCancelledEvent, staleCase, (b, p, e, stale) => {
        const outcome = reconcileBooking({
          booking: { ...b, ...stale.booking, etag: '"applied"' },
          participant: p,
          event: {
            ...e,
            sequence: stale.sequence,
            updated: stale.updated ?? e.updated,
            etag: '"older"',
          },
        });
        expect(outcome).toEqual({ bookingChanges: {}, historyRows: [], ignoredBecause: 'stale' });
      }),
      { numRuns: 2000 },
    );
  });

  test('When any outcome is produced, then its parts agree with each other', () => {
    fc.assert(
      fc.property(aBooking, aParticipant, anEvent, (b, p, e) => {
        const outcome = reconcileBooking({ booking: b, participant: p, event: e });
        const finalState = outcome.bookingChanges.state ?? b.state;
        // A slot is only ever taken back through an explicit reclaim.
        expect(outcome.needsSlotReclaim === true).toBe(outcome.bookingChanges.state === 'confirmed');
        if (outcome.needsSlotReclaim) expect(outcome.statusChange?.to).toBe('scheduled');
        if (outcome.statusChange?.to === 'canceled') expect(finalState).toBe('cancelled');
        if (outcome.statusChange?.to === 'scheduled') expect(finalState).not.toBe('cancelled');
        expect(outcome.historyRows.filter((row) => row.kind === 'status')).toHaveLength(
          outcome.statusChange ? 1 : 0,
        );
        if (outcome.ignoredBecause === 'stale' || outcome.ignoredBecause === 'unchanged') {
          expectNoChanges(outcome);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
