import { observeEvent, type SeenEvent } from '../../src/sync/event-observations';
import type { AttendeeResponse, GoogleEventView } from '../../src/sync/google-event-view';

const PARTICIPANT = 'pat@example.com';

function event(overrides: Partial<GoogleEventView> & { answer?: AttendeeResponse } = {}): GoogleEventView {
  const { answer = 'needsAction', ...rest } = overrides;
  return {
    id: 'bk1',
    status: 'confirmed',
    start: new Date('2026-12-08T10:00:00Z'),
    end: new Date('2026-12-08T10:30:00Z'),
    sequence: 1,
    updated: new Date('2026-12-05T08:00:00Z'),
    etag: '"2"',
    attendees: [
      { email: 'rita@lab.example', responseStatus: 'accepted' },
      { email: PARTICIPANT, responseStatus: answer },
    ],
    attendeesOmitted: false,
    summary: 'Checkout interview',
    location: null,
    ...rest,
  };
}

const seen = (overrides: Partial<SeenEvent> = {}): SeenEvent => ({
  summary: 'Checkout interview',
  location: null,
  participantResponse: 'needsAction',
  ...overrides,
});

const observe = (input: Partial<Parameters<typeof observeEvent>[0]>) =>
  observeEvent({
    seen: seen(),
    event: event(),
    participantEmail: PARTICIPANT,
    declineCancels: false,
    ...input,
  });

describe('What the calendar says besides the status (RSVPs and details)', () => {
  test('When the participant answers Maybe, then one tentative RSVP is observed and remembered', () => {
    const result = observe({ event: event({ answer: 'tentative' }) });
    expect(result.observations).toEqual([
      { kind: 'rsvp', source: 'participant', details: { from: 'needsAction', to: 'tentative' } },
    ]);
    expect(result.seen?.participantResponse).toBe('tentative');
  });

  test('When the participant accepts after Maybe, then the RSVP goes from tentative to accepted', () => {
    const result = observe({
      seen: seen({ participantResponse: 'tentative' }),
      event: event({ answer: 'accepted' }),
    });
    expect(result.observations).toEqual([
      { kind: 'rsvp', source: 'participant', details: { from: 'tentative', to: 'accepted' } },
    ]);
  });

  test('When the same answer arrives again (another change to the event), then nothing is observed', () => {
    const result = observe({
      seen: seen({ participantResponse: 'accepted' }),
      event: event({ answer: 'accepted' }),
    });
    expect(result).toEqual({ observations: [], seen: null });
  });

  test('When the event was never seen, then the first answer counts against no answer, and the title is only remembered', () => {
    const result = observe({ seen: null, event: event({ answer: 'accepted', summary: 'Renamed' }) });
    expect(result.observations).toEqual([
      { kind: 'rsvp', source: 'participant', details: { from: 'needsAction', to: 'accepted' } },
    ]);
    expect(result.seen).toEqual({ summary: 'Renamed', location: null, participantResponse: 'accepted' });
  });

  test('When a decline cancels the interview, then no RSVP is observed (the cancellation tells it) but it is remembered', () => {
    const result = observe({ event: event({ answer: 'declined' }), declineCancels: true });
    expect(result.observations).toEqual([]);
    expect(result.seen?.participantResponse).toBe('declined');
  });

  test('When a decline cancels nothing (a verdict is kept), then it is observed as an RSVP', () => {
    const result = observe({ event: event({ answer: 'declined' }) });
    expect(result.observations.map((observation) => observation.details)).toEqual([
      { from: 'needsAction', to: 'declined' },
    ]);
  });

  test('When the title and location change, then each is observed with before and after', () => {
    const result = observe({ event: event({ summary: 'Checkout chat', location: 'Room 2' }) });
    expect(result.observations).toEqual([
      {
        kind: 'event_changed',
        source: 'calendar',
        details: { field: 'title', from: 'Checkout interview', to: 'Checkout chat' },
      },
      { kind: 'event_changed', source: 'calendar', details: { field: 'location', from: null, to: 'Room 2' } },
    ]);
  });

  test('When the Meet link changes or goes, then it is observed; when the first link arrives, it is not', () => {
    expect(
      observe({ meet: { from: 'https://meet.google.com/a', to: 'https://meet.google.com/b' } }).observations,
    ).toEqual([
      {
        kind: 'event_changed',
        source: 'calendar',
        details: { field: 'meet', from: 'https://meet.google.com/a', to: 'https://meet.google.com/b' },
      },
    ]);
    expect(observe({ meet: { from: 'https://meet.google.com/a', to: null } }).observations).toHaveLength(1);
    expect(observe({ meet: { from: null, to: 'https://meet.google.com/a' } }).observations).toEqual([]);
  });

  test('When the event is cancelled (a bare deleted entry), or the participant is not on it, then nothing is observed or forgotten', () => {
    expect(observe({ event: event({ status: 'cancelled', attendees: [], summary: null }) })).toEqual({
      observations: [],
      seen: null,
    });
    const removed = observe({ event: event({ attendees: [] }) });
    expect(removed.observations).toEqual([]);
    expect(removed.seen).toBeNull();
  });

  test('When the title and location were not looked at, then the remembered ones stay', () => {
    const result = observe({
      seen: seen({ location: 'Room 1' }),
      event: event({ answer: 'tentative', summary: undefined, location: undefined }),
    });
    expect(result.seen).toEqual({
      summary: 'Checkout interview',
      location: 'Room 1',
      participantResponse: 'tentative',
    });
  });
});
