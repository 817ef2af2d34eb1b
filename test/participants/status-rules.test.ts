import fc from 'fast-check';
import {
  decideTransition,
  isManualOnlyStatus,
  isParticipantStatus,
  MANUAL_STATUSES,
  PARTICIPANT_STATUSES,
  ParticipantStatusSchema,
  STATUS_LABELS,
  STATUS_SOURCES,
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
        'When a researcher marks a no-show, then it applies',
        { from: 'scheduled', to: 'no_show', source: 'researcher' },
        APPLY,
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

  test('When a researcher sets anything but an unbacked scheduled, then it applies', () => {
    fc.assert(
      fc.property(anyRequest, (req) => {
        fc.pre(req.source === 'researcher' && req.from !== req.to);
        fc.pre(req.to !== 'scheduled' || req.hasLiveBooking);
        expect(decideTransition(req)).toEqual(APPLY);
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
