import { cursorAfter, describeRow, parseCursor } from '../../src/participants/timeline';
import type { TimelineRow } from '../../src/participants/timeline-repository';

const ZONE = 'America/New_York';

function row(overrides: Partial<TimelineRow>): TimelineRow {
  return {
    origin: 'history',
    at: new Date('2026-12-05T15:00:00Z'),
    atMicros: '1796482800000000',
    rank: 1,
    ref: '00000000000000000042',
    kind: 'status',
    source: 'system',
    actor: null,
    actorName: null,
    reason: null,
    fromStatus: null,
    toStatus: 'invited',
    details: {},
    ...overrides,
  };
}

const email = (kind: string, state: string, reason: string | null = null, attempts = 1) =>
  describeRow(
    row({ origin: 'email', rank: 3, kind, reason, details: { state, attempts, subject: null } }),
    ZONE,
  );

describe('Timeline entries in words', () => {
  test('When an interview was moved, then the entry names who moved it and both times in the zone', () => {
    const item = describeRow(
      row({
        kind: 'rescheduled',
        source: 'participant',
        actor: 'pat@example.com',
        fromStatus: 'scheduled',
        toStatus: 'scheduled',
        details: {
          fromStart: '2026-12-08T15:00:00.000Z',
          fromEnd: '2026-12-08T15:30:00.000Z',
          toStart: '2026-12-09T16:00:00.000Z',
          toEnd: '2026-12-09T16:30:00.000Z',
        },
      }),
      ZONE,
    );
    expect(item.kind).toBe('moved');
    expect(item.summary).toBe(
      'Interview moved by the participant: Tue 8 Dec 2026, 10:00–10:30 (America/New_York) → Wed 9 Dec 2026, 11:00–11:30 (America/New_York)',
    );
    expect(item.details).toEqual(
      expect.objectContaining({
        from: { start: '2026-12-08T15:00:00.000Z', end: '2026-12-08T15:30:00.000Z' },
        to: { start: '2026-12-09T16:00:00.000Z', end: '2026-12-09T16:30:00.000Z' },
      }),
    );
  });

  test.each([
    ['participant', null, 'Interview canceled by the participant'],
    ['calendar', null, 'Interview canceled by Google Calendar'],
    ['researcher', 'Rita Researcher', 'Interview canceled by Rita Researcher'],
  ])('When the %s canceled, then the entry says who', (source, actorName, summary) => {
    const item = describeRow(
      row({ source, actorName, fromStatus: 'scheduled', toStatus: 'canceled', reason: 'because' }),
      ZONE,
    );
    expect(item).toEqual(
      expect.objectContaining({
        kind: 'canceled',
        summary,
        details: expect.objectContaining({ reason: 'because' }),
      }),
    );
  });

  test('When the participant answered Maybe and then Yes, then both read as answers, the second as "again"', () => {
    const answer = (from: string, to: string) =>
      describeRow(
        row({ origin: 'activity', rank: 2, kind: 'rsvp', source: 'participant', details: { from, to } }),
        ZONE,
      ).summary;
    expect(answer('needsAction', 'tentative')).toBe(
      'The participant answered Maybe (tentative) in Google Calendar',
    );
    expect(answer('tentative', 'accepted')).toBe(
      'The participant answered Yes (accepted) again in Google Calendar',
    );
    expect(answer('needsAction', 'accepted')).toBe(
      'The participant answered Yes (accepted) in Google Calendar',
    );
    expect(answer('accepted', 'needsAction')).toBe(
      'The participant has no answer in Google Calendar any more',
    );
  });

  test('When the Meet link was removed in the calendar, then the entry says so and keeps the old link', () => {
    const item = describeRow(
      row({
        origin: 'activity',
        rank: 2,
        kind: 'event_changed',
        source: 'calendar',
        details: { field: 'meet', from: 'https://meet.google.com/abc', to: null },
      }),
      ZONE,
    );
    expect(item.summary).toBe(
      "The event's Google Meet link was removed in Google Calendar (was “https://meet.google.com/abc”)",
    );
  });

  test('When emails of any kind are listed, then known kinds get their label, others a generic one, and a failure its reason', () => {
    expect(email('invitation', 'sent').summary).toBe('Invitation email sent');
    expect(email('reminder', 'sent').summary).toBe('Reminder email sent');
    expect(email('cancellation', 'pending').summary).toBe('Cancellation email waiting to be sent');
    expect(email('confirmation', 'failed', '550 5.1.1 Mailbox does not exist', 1).summary).toBe(
      'Confirmation email failed after 1 attempt: 550 5.1.1 Mailbox does not exist',
    );
    expect(email('update', 'pending', '451 try later', 2).summary).toBe(
      'Update email waiting to be sent (last attempt failed: 451 try later)',
    );
    expect(email('survey', 'sent').summary).toBe('Email (survey) sent');
    expect(email('invitation', 'superseded').summary).toBe(
      'Invitation email not sent: replaced by a re-invitation',
    );
    expect(email('confirmation', 'failed', '550 no', 1).details).toEqual(
      expect.objectContaining({ emailKind: 'confirmation', state: 'failed', lastError: '550 no' }),
    );
  });

  test('When a verdict is recorded, then the entry names the statuses and the researcher', () => {
    const item = describeRow(
      row({
        source: 'researcher',
        actorName: 'Rita Researcher',
        fromStatus: 'scheduled',
        toStatus: 'no_show',
      }),
      ZONE,
    );
    expect(item).toEqual(
      expect.objectContaining({
        kind: 'status',
        summary: 'Status changed: Interview Scheduled → No Show, by Rita Researcher',
      }),
    );
  });

  test('When a page ends at an entry, then its cursor reads back, and a made-up one is refused', () => {
    const last = row({ origin: 'email', rank: 3, ref: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect(parseCursor(cursorAfter(last))).toEqual({
      atMicros: '1796482800000000',
      rank: 3,
      ref: '0f8fad5b-d9cb-469f-a165-70867728950e',
    });
    for (const made of [
      '',
      'x',
      '1.4.1',
      '1.1.',
      "1.1.1'; drop table",
      '12345678901234567890.1.1',
      '999999999999999999.1.1',
    ])
      expect(parseCursor(made)).toBeUndefined();
  });
});
