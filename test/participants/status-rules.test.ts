import fc from 'fast-check';
import {
  decideLinkChange,
  decideTransition,
  hasStarted,
  INTERVIEW_TIMINGS,
  interviewTiming,
  isManualOnlyStatus,
  isParticipantStatus,
  MANUAL_STATUSES,
  PARTICIPANT_STATUSES,
  ParticipantStatusSchema,
  STATUS_LABELS,
  STATUS_SOURCES,
  type InterviewTiming,
  type LinkDecision,
  type ParticipantStatus,
  type StatusSource,
  type TransitionDecision,
  type TransitionRequest,
} from '../../src/participants/status-rules';

const request = (overrides: Partial<TransitionRequest>): TransitionRequest => ({
  from: 'invited',
  to: 'scheduled',
  source: 'system',
  hasLiveBooking: true,
  lastStatusSource: null,
  ...overrides,
});

const APPLY: TransitionDecision = { kind: 'apply' };

describe('Participant statuses', () => {
  test('When listed, then they are the five of the contract with their labels', () => {
    expect(PARTICIPANT_STATUSES).toEqual(['invited', 'scheduled', 'canceled', 'no_show', 'completed']);
    expect(STATUS_LABELS).toEqual({
      invited: 'Invited',
      scheduled: 'Interview Scheduled',
      canceled: 'Canceled Interview',
      no_show: 'No Show',
      completed: 'Completed',
    });
  });

  test('When a researcher picks a status by hand, then all five are offered', () => {
    expect([...MANUAL_STATUSES].sort()).toEqual([...PARTICIPANT_STATUSES].sort());
  });

  test('When a value comes from outside, then only the five statuses pass', () => {
    expect(isParticipantStatus('no_show')).toBe(true);
    expect(isParticipantStatus('No Show')).toBe(false);
    expect(isParticipantStatus(3)).toBe(false);
    expect(ParticipantStatusSchema.safeParse('completed').success).toBe(true);
    expect(ParticipantStatusSchema.safeParse('done').success).toBe(false);
  });
});

describe('Deciding a status change', () => {
  const stories: Array<[story: string, overrides: Partial<TransitionRequest>, expected: TransitionDecision]> =
    [
      // Rule 1
      [
        'When the status would not change, then nothing happens',
        { from: 'canceled', to: 'canceled', source: 'calendar' },
        { kind: 'noop', reason: 'unchanged' },
      ],
      // Rules 2, 3
      [
        'When a researcher marks a no-show after the interview, then it applies',
        { from: 'scheduled', to: 'no_show', source: 'researcher', interview: 'after' },
        APPLY,
      ],
      // Rule 2a
      [
        'When a researcher marks a no-show before the interview, then it is refused',
        { from: 'scheduled', to: 'no_show', source: 'researcher', interview: 'before' },
        { kind: 'reject', reason: 'interview not started' },
      ],
      [
        'When a researcher marks completed with no interview at all, then it is refused',
        { from: 'invited', to: 'completed', source: 'researcher', interview: 'none' },
        { kind: 'reject', reason: 'no interview to judge' },
      ],
      [
        'When nothing says where the interview stands, then a verdict is refused',
        { from: 'scheduled', to: 'completed', source: 'researcher' },
        { kind: 'reject', reason: 'no interview to judge' },
      ],
      [
        'When a researcher undoes a completed status, then it applies',
        { from: 'completed', to: 'canceled', source: 'researcher' },
        APPLY,
      ],
      [
        'When a researcher sets scheduled while a booking is live, then it applies',
        { from: 'canceled', to: 'scheduled', source: 'researcher', hasLiveBooking: true },
        APPLY,
      ],
      [
        'When a researcher sets scheduled without a live booking, then it is refused',
        { from: 'invited', to: 'scheduled', source: 'researcher', hasLiveBooking: false },
        { kind: 'reject', reason: 'scheduled needs a live booking' },
      ],
      // Rule 4
      [
        'When the calendar cancels after a no-show was recorded, then the manual status is kept',
        { from: 'no_show', to: 'canceled', source: 'calendar' },
        { kind: 'noop', reason: 'manual status kept' },
      ],
      [
        'When the participant accepts again after the interview was marked completed, then the manual status is kept',
        { from: 'completed', to: 'scheduled', source: 'participant' },
        { kind: 'noop', reason: 'manual status kept' },
      ],
      // Rule 5
      [
        'When the calendar would mark a no-show, then it is refused',
        { from: 'scheduled', to: 'no_show', source: 'calendar' },
        { kind: 'reject', reason: 'not a status this source sets' },
      ],
      [
        'When a participant would re-invite themselves, then it is refused',
        { from: 'canceled', to: 'invited', source: 'participant' },
        { kind: 'reject', reason: 'not a status this source sets' },
      ],
      // Rule 6
      [
        'When the participant accepts again after a researcher cancelled by hand, then the manual cancel is kept',
        { from: 'canceled', to: 'scheduled', source: 'participant', lastStatusSource: 'researcher' },
        { kind: 'noop', reason: 'manual status kept' },
      ],
      // Rule 7
      [
        'When the participant accepts again but no booking is live, then it is refused',
        {
          from: 'canceled',
          to: 'scheduled',
          source: 'participant',
          lastStatusSource: 'participant',
          hasLiveBooking: false,
        },
        { kind: 'reject', reason: 'scheduled needs a live booking' },
      ],
      // Rule 8
      [
        'When the participant accepts again after declining, then scheduled applies',
        { from: 'canceled', to: 'scheduled', source: 'participant', lastStatusSource: 'participant' },
        APPLY,
      ],
      [
        'When the participant declines, then canceled applies',
        { from: 'scheduled', to: 'canceled', source: 'participant', hasLiveBooking: false },
        APPLY,
      ],
      [
        'When the calendar cancels an interview a researcher scheduled by hand, then canceled applies',
        { from: 'scheduled', to: 'canceled', source: 'calendar', lastStatusSource: 'researcher' },
        APPLY,
      ],
      // Rule 9
      [
        'When the system would mark completed, then it is refused',
        { from: 'scheduled', to: 'completed', source: 'system' },
        { kind: 'reject', reason: 'not a status this source sets' },
      ],
      // Rule 10
      [
        'When a no-show participant is re-invited, then invited applies',
        { from: 'no_show', to: 'invited', source: 'system', hasLiveBooking: false },
        APPLY,
      ],
      // Rule 11
      [
        'When a completed participant books again, then the booking is refused',
        { from: 'completed', to: 'scheduled', source: 'system' },
        { kind: 'reject', reason: 'manual status kept' },
      ],
      // Rule 12
      [
        'When the system would schedule without a live booking, then it is refused',
        { from: 'invited', to: 'scheduled', source: 'system', hasLiveBooking: false },
        { kind: 'reject', reason: 'scheduled needs a live booking' },
      ],
      // Rule 13
      [
        'When the system releases a booking after a no-show was recorded, then the manual status is kept',
        { from: 'no_show', to: 'canceled', source: 'system' },
        { kind: 'noop', reason: 'manual status kept' },
      ],
      // Rule 14
      [
        'When an invited participant books, then scheduled applies',
        { from: 'invited', to: 'scheduled', source: 'system' },
        APPLY,
      ],
      [
        'When a participant books again after a researcher cancelled, then scheduled applies',
        { from: 'canceled', to: 'scheduled', source: 'system', lastStatusSource: 'researcher' },
        APPLY,
      ],
      [
        'When the system releases a booking it could not keep, then canceled applies',
        { from: 'scheduled', to: 'canceled', source: 'system', hasLiveBooking: false },
        APPLY,
      ],
    ];

  test.each(stories)('%s', (_story, overrides, expected) => {
    expect(decideTransition(request(overrides))).toEqual(expected);
  });
});

describe('Status rules for every combination', () => {
  const anyRequest = fc.record({
    from: fc.constantFrom<ParticipantStatus>(...PARTICIPANT_STATUSES),
    to: fc.constantFrom<ParticipantStatus>(...PARTICIPANT_STATUSES),
    source: fc.constantFrom<StatusSource>(...STATUS_SOURCES),
    hasLiveBooking: fc.boolean(),
    lastStatusSource: fc.option(fc.constantFrom<StatusSource>(...STATUS_SOURCES), { nil: null }),
    interview: fc.constantFrom<InterviewTiming>(...INTERVIEW_TIMINGS),
  });

  test('When anything but a researcher acts, then no-show and completed are never left', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(req.source !== 'researcher' && isManualOnlyStatus(req.from) && req.to !== 'invited');
        expect(decideTransition(req).kind).not.toBe('apply');
      }),
    );
  });

  test('When the calendar or the participant acts, then no-show and completed are never left at all', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(req.source === 'calendar' || req.source === 'participant');
        fc.pre(isManualOnlyStatus(req.from) && req.from !== req.to);
        expect(decideTransition(req)).toEqual({ kind: 'noop', reason: 'manual status kept' });
      }),
    );
  });

  test('When any other source than a researcher aims at no-show or completed, then it never applies', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(req.source !== 'researcher' && isManualOnlyStatus(req.to));
        expect(decideTransition(req).kind).not.toBe('apply');
      }),
    );
  });

  test('When a change to scheduled applies, then a booking is live', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(req.to === 'scheduled' && decideTransition(req).kind === 'apply');
        expect(req.hasLiveBooking).toBe(true);
      }),
    );
  });

  test('When a researcher sets anything but an unbacked scheduled or a verdict ahead of the interview, then it applies', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(req.source === 'researcher' && req.from !== req.to);
        fc.pre(req.to !== 'scheduled' || req.hasLiveBooking);
        fc.pre(!isManualOnlyStatus(req.to) || hasStarted(req.interview));
        expect(decideTransition(req)).toEqual(APPLY);
      }),
    );
  });

  test('When a verdict applies, then a researcher set it on an interview that has started', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(isManualOnlyStatus(req.to) && decideTransition(req).kind === 'apply');
        expect(req.source).toBe('researcher');
        expect(hasStarted(req.interview)).toBe(true);
      }),
    );
  });

  test('When the calendar or Google replies act, then the time of the interview changes nothing', () => {
    fc.assert(
      fc.property(anyRequest, fc.constantFrom<InterviewTiming>(...INTERVIEW_TIMINGS), (req, other) => {
        fc.pre(req.source === 'calendar' || req.source === 'participant');
        expect(decideTransition({ ...req, interview: other })).toEqual(decideTransition(req));
      }),
    );
  });

  test('When the status stays the same, then nothing happens whoever acts', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        expect(decideTransition({ ...req, to: req.from })).toEqual({ kind: 'noop', reason: 'unchanged' });
      }),
    );
  });
});

describe('Where the interview stands at a moment', () => {
  const interview = { start: new Date('2026-12-10T10:00:00Z'), end: new Date('2026-12-10T10:30:00Z') };
  test.each<[string, Date, InterviewTiming]>([
    ['a minute before the start', new Date('2026-12-10T09:59:00Z'), 'before'],
    ['at the start instant', new Date('2026-12-10T10:00:00Z'), 'during'],
    ['a minute before the end', new Date('2026-12-10T10:29:00Z'), 'during'],
    ['at the end instant', new Date('2026-12-10T10:30:00Z'), 'after'],
    ['days later', new Date('2026-12-22T08:00:00Z'), 'after'],
  ])('When it is %s, then the interview is %s', (_when, now, expected) => {
    expect(interviewTiming(interview, now)).toBe(expected);
  });

  test('When there is no interview, then the timing is none whatever the time', () => {
    expect(interviewTiming(null, new Date())).toBe('none');
    expect(interviewTiming(undefined, new Date(0))).toBe('none');
  });
});

/**
 * The whole rule book as one table: every status × where the interview stands × who acts
 * (and what they do). "allowed", "refused: <reason>" or "no change: <reason>".
 */
describe('Who may change what, and when', () => {
  type Shown = string;
  const shownTransition = (decision: TransitionDecision): Shown =>
    decision.kind === 'apply'
      ? 'allowed'
      : `${decision.kind === 'reject' ? 'refused' : 'no change'}: ${decision.reason}`;
  const shownLink = (decision: LinkDecision): Shown =>
    decision.kind === 'allow' ? 'allowed' : `refused: ${decision.reason}`;

  const transition =
    (source: StatusSource, to: ParticipantStatus) => (from: ParticipantStatus, interview: InterviewTiming) =>
      shownTransition(
        decideTransition({
          from,
          to,
          source,
          hasLiveBooking: interview !== 'none',
          lastStatusSource: null,
          interview,
        }),
      );
  const link = (action: 'book' | 'cancel') => (status: ParticipantStatus, interview: InterviewTiming) =>
    shownLink(decideLinkChange({ action, status, interview }));

  const ACTS: Record<
    string,
    { source: StatusSource; decide: (s: ParticipantStatus, t: InterviewTiming) => Shown }
  > = {
    'records no_show': { source: 'researcher', decide: transition('researcher', 'no_show') },
    'records completed': { source: 'researcher', decide: transition('researcher', 'completed') },
    'cancels by hand': { source: 'researcher', decide: transition('researcher', 'canceled') },
    'books or moves from the link': { source: 'participant', decide: link('book') },
    'cancels from the link': { source: 'participant', decide: link('cancel') },
    'declines in Google': { source: 'participant', decide: transition('participant', 'canceled') },
    'cancels the event': { source: 'calendar', decide: transition('calendar', 'canceled') },
    'confirms a booking': { source: 'system', decide: transition('system', 'scheduled') },
  };

  const ok = 'allowed';
  const same = 'no change: unchanged';
  const kept = 'no change: manual status kept';
  const noInterview = 'refused: no interview to judge';
  const notStarted = 'refused: interview not started';
  const started = 'refused: interview started';
  const verdict = 'refused: verdict recorded';
  const nothingBooked = 'refused: nothing booked';
  const noLive = 'refused: scheduled needs a live booking';
  const manual = 'refused: manual status kept';

  // act, status: none (no interview), before the start, during, after the end
  const table: Array<
    [act: string, status: ParticipantStatus, none: Shown, before: Shown, during: Shown, after: Shown]
  > = [
    ['records no_show', 'invited', noInterview, notStarted, ok, ok],
    ['records no_show', 'scheduled', noInterview, notStarted, ok, ok],
    ['records no_show', 'canceled', noInterview, notStarted, ok, ok],
    ['records no_show', 'no_show', same, same, same, same],
    ['records no_show', 'completed', noInterview, notStarted, ok, ok],
    ['records completed', 'invited', noInterview, notStarted, ok, ok],
    ['records completed', 'scheduled', noInterview, notStarted, ok, ok],
    ['records completed', 'canceled', noInterview, notStarted, ok, ok],
    ['records completed', 'no_show', noInterview, notStarted, ok, ok],
    ['records completed', 'completed', same, same, same, same],
    ['cancels by hand', 'invited', ok, ok, ok, ok],
    ['cancels by hand', 'scheduled', ok, ok, ok, ok],
    ['cancels by hand', 'canceled', same, same, same, same],
    ['cancels by hand', 'no_show', ok, ok, ok, ok],
    ['cancels by hand', 'completed', ok, ok, ok, ok],
    ['books or moves from the link', 'invited', ok, ok, started, started],
    ['books or moves from the link', 'scheduled', ok, ok, started, started],
    ['books or moves from the link', 'canceled', ok, ok, started, started],
    ['books or moves from the link', 'no_show', verdict, verdict, verdict, verdict],
    ['books or moves from the link', 'completed', verdict, verdict, verdict, verdict],
    ['cancels from the link', 'invited', nothingBooked, ok, started, started],
    ['cancels from the link', 'scheduled', nothingBooked, ok, started, started],
    ['cancels from the link', 'canceled', nothingBooked, ok, started, started],
    ['cancels from the link', 'no_show', verdict, verdict, verdict, verdict],
    ['cancels from the link', 'completed', verdict, verdict, verdict, verdict],
    ['declines in Google', 'invited', ok, ok, ok, ok],
    ['declines in Google', 'scheduled', ok, ok, ok, ok],
    ['declines in Google', 'canceled', same, same, same, same],
    ['declines in Google', 'no_show', kept, kept, kept, kept],
    ['declines in Google', 'completed', kept, kept, kept, kept],
    ['cancels the event', 'invited', ok, ok, ok, ok],
    ['cancels the event', 'scheduled', ok, ok, ok, ok],
    ['cancels the event', 'canceled', same, same, same, same],
    ['cancels the event', 'no_show', kept, kept, kept, kept],
    ['cancels the event', 'completed', kept, kept, kept, kept],
    ['confirms a booking', 'invited', noLive, ok, ok, ok],
    ['confirms a booking', 'scheduled', same, same, same, same],
    ['confirms a booking', 'canceled', noLive, ok, ok, ok],
    ['confirms a booking', 'no_show', manual, manual, manual, manual],
    ['confirms a booking', 'completed', manual, manual, manual, manual],
  ];

  test('When the table is read, then it covers every act for every status', () => {
    for (const act of Object.keys(ACTS)) {
      const statuses = table.filter(([name]) => name === act).map(([, status]) => status);
      expect([...statuses].sort()).toEqual([...PARTICIPANT_STATUSES].sort());
    }
    expect(new Set(Object.values(ACTS).map((act) => act.source))).toEqual(new Set(STATUS_SOURCES));
  });

  const cases = table.flatMap(([act, status, ...outcomes]) =>
    INTERVIEW_TIMINGS.map(
      (timing, index) => [ACTS[act]!.source, act, status, timing, outcomes[index]!] as const,
    ),
  );

  test.each(cases)(
    'When the %s %s while the participant is %s and the interview is %s, then: %s',
    (_source, act, status, timing, expected) => {
      expect(ACTS[act]!.decide(status, timing)).toBe(expected);
    },
  );
});
