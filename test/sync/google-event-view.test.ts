import fc from 'fast-check';
import type { calendar_v3 } from 'googleapis';
import {
  attendanceOf,
  bookingIdOfEvent,
  toGoogleEventView,
  type RawGoogleEvent,
} from '../../src/sync/google-event-view';

const BOOKING_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

/** An event as googleapis hands it over (typed as its own Schema$Event on purpose). */
const googleEvent = (overrides: calendar_v3.Schema$Event = {}): calendar_v3.Schema$Event => ({
  kind: 'calendar#event',
  id: 'bk0f8fad5bd9cb469fa16570867728950e',
  etag: '"3371234567890000"',
  status: 'confirmed',
  created: '2026-02-20T08:00:00.000Z',
  updated: '2026-02-21T09:30:12.345Z',
  sequence: 2,
  start: { dateTime: '2026-03-02T11:00:00+01:00', timeZone: 'Europe/Berlin' },
  end: { dateTime: '2026-03-02T11:45:00+01:00', timeZone: 'Europe/Berlin' },
  summary: 'Checkout interview',
  location: 'Room 4.12',
  organizer: { email: 'researcher@lab.test', self: true },
  attendees: [
    { email: 'researcher@lab.test', organizer: true, self: true, responseStatus: 'accepted' },
    { email: 'Pat.Doe@Example.com', displayName: 'Pat', responseStatus: 'declined' },
  ],
  extendedProperties: { private: { bookingId: BOOKING_ID } },
  ...overrides,
});

describe('Reading a Google event for the reconciler', () => {
  test('When a full event arrives, then times, version and lower-cased attendees are read', () => {
    expect(toGoogleEventView(googleEvent())).toEqual({
      id: 'bk0f8fad5bd9cb469fa16570867728950e',
      status: 'confirmed',
      start: new Date('2026-03-02T10:00:00Z'),
      end: new Date('2026-03-02T10:45:00Z'),
      sequence: 2,
      updated: new Date('2026-02-21T09:30:12.345Z'),
      etag: '"3371234567890000"',
      attendees: [
        { email: 'researcher@lab.test', responseStatus: 'accepted' },
        { email: 'pat.doe@example.com', responseStatus: 'declined' },
      ],
      attendeesOmitted: false,
      organizer: 'researcher@lab.test',
      conference: null,
      summary: 'Checkout interview',
      location: 'Room 4.12',
    });
  });

  test('When the title or location is left out or blank, then it reads as none (null)', () => {
    const view = toGoogleEventView(googleEvent({ summary: '  ', location: undefined }));
    expect(view.summary).toBeNull();
    expect(view.location).toBeNull();
  });

  test('When a deleted event arrives from an incremental sync with little more than its id, then the rest is unknown', () => {
    expect(toGoogleEventView({ id: 'bkdeleted1', status: 'cancelled' })).toEqual({
      id: 'bkdeleted1',
      status: 'cancelled',
      start: null,
      end: null,
      sequence: null,
      updated: null,
      etag: null,
      attendees: [],
      attendeesOmitted: false,
      organizer: null,
      conference: null,
      summary: null,
      location: null,
    });
  });

  test('When the Meet conference is pending, succeeded or failed, then its state, request and link are read', () => {
    const pending = toGoogleEventView({
      id: 'bkmeet1',
      conferenceData: { createRequest: { requestId: 'r1', status: { statusCode: 'pending' } } },
    });
    expect(pending.conference).toEqual({ status: 'pending', requestId: 'r1', meetUrl: null });
    const done = toGoogleEventView({
      id: 'bkmeet1',
      hangoutLink: 'https://meet.google.com/abc-defg-hij',
      conferenceData: {
        createRequest: { requestId: 'r1', status: { statusCode: 'success' } },
        entryPoints: [{ entryPointType: 'video', uri: 'https://meet.google.com/abc-defg-hij' }],
      },
    });
    expect(done.conference).toEqual({
      status: 'success',
      requestId: 'r1',
      meetUrl: 'https://meet.google.com/abc-defg-hij',
    });
    const failed = toGoogleEventView({
      id: 'bkmeet1',
      conferenceData: { createRequest: { requestId: 'r1', status: { statusCode: 'failure' } } },
    });
    expect(failed.conference?.status).toBe('failure');
  });

  test('When a local dateTime comes with a time zone instead of an offset, then it is read in that zone', () => {
    const view = toGoogleEventView(
      googleEvent({
        start: { dateTime: '2026-07-01T09:00:00', timeZone: 'America/New_York' },
        end: { dateTime: '2026-07-01T09:30:00', timeZone: 'America/New_York' },
      }),
    );
    expect(view.start).toEqual(new Date('2026-07-01T13:00:00Z'));
    expect(view.end).toEqual(new Date('2026-07-01T13:30:00Z'));
  });

  test('When a local dateTime has no zone at all, then the times are unknown rather than server-local', () => {
    const view = toGoogleEventView(
      googleEvent({ start: { dateTime: '2026-07-01T09:00:00' }, end: { dateTime: '2026-07-01T09:30:00' } }),
    );
    expect([view.start, view.end]).toEqual([null, null]);
  });

  test('When the event is all-day, then it spans midnight to midnight (end date exclusive), in its zone if given', () => {
    const utc = toGoogleEventView(
      googleEvent({ start: { date: '2026-03-02' }, end: { date: '2026-03-03' } }),
    );
    expect([utc.start, utc.end]).toEqual([
      new Date('2026-03-02T00:00:00Z'),
      new Date('2026-03-03T00:00:00Z'),
    ]);
    const tokyo = toGoogleEventView(
      googleEvent({
        start: { date: '2026-03-02', timeZone: 'Asia/Tokyo' },
        end: { date: '2026-03-03', timeZone: 'Asia/Tokyo' },
      }),
    );
    expect([tokyo.start, tokyo.end]).toEqual([
      new Date('2026-03-01T15:00:00Z'),
      new Date('2026-03-02T15:00:00Z'),
    ]);
  });

  test.each([
    ['a date that does not exist', { date: '2026-02-30' }],
    ['an hour that does not exist', { dateTime: '2026-03-02T24:30:00Z' }],
    ['an unknown time zone', { dateTime: '2026-03-02T10:00:00', timeZone: 'Mars/Olympus' }],
    ['free text', { dateTime: 'next Tuesday' }],
  ])('When the start is %s, then the times are unknown', (_what, start) => {
    const view = toGoogleEventView(googleEvent({ start }));
    expect([view.start, view.end]).toEqual([null, null]);
  });

  test('When the end is not after the start, then the times are unknown', () => {
    const view = toGoogleEventView(
      googleEvent({ end: { dateTime: '2026-03-02T11:00:00+01:00' } }), // equals the start
    );
    expect([view.start, view.end]).toEqual([null, null]);
  });

  test('When fields carry unexpected values, then they are read conservatively', () => {
    const view = toGoogleEventView(
      googleEvent({
        status: 'something-new',
        sequence: -1,
        updated: 'yesterday',
        etag: '',
        attendeesOmitted: true,
        attendees: [
          { email: 'pat.doe@example.com', responseStatus: 'maybe-later' },
          { displayName: 'Room 4' },
        ],
      }),
    );
    expect(view).toMatchObject({
      status: 'confirmed',
      sequence: null,
      updated: null,
      etag: null,
      attendeesOmitted: true,
      attendees: [{ email: 'pat.doe@example.com', responseStatus: 'needsAction' }],
    });
  });

  test('When an event has no id, then reading it fails loudly', () => {
    expect(() => toGoogleEventView({ status: 'confirmed' })).toThrow('without an id');
  });

  test('When any RFC 3339 instant with an offset is given, then it reads as the same instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (instant, offsetMinutes) => {
          const wholeSeconds = new Date(Math.floor(instant.getTime() / 1000) * 1000);
          const raw: RawGoogleEvent = {
            id: 'bkprop',
            start: { dateTime: withOffset(wholeSeconds, offsetMinutes) },
            end: { dateTime: withOffset(new Date(wholeSeconds.getTime() + 60_000), offsetMinutes) },
          };
          expect(toGoogleEventView(raw).start).toEqual(wholeSeconds);
        },
      ),
    );
  });
});

describe('Finding the booking of an event', () => {
  test('When the event carries our private bookingId, then that booking id is returned', () => {
    expect(bookingIdOfEvent(googleEvent())).toBe(BOOKING_ID);
    expect(
      bookingIdOfEvent(
        googleEvent({ extendedProperties: { private: { bookingId: BOOKING_ID.toUpperCase() } } }),
      ),
    ).toBe(BOOKING_ID);
  });

  test.each<[string, calendar_v3.Schema$Event]>([
    ['has no extended properties', { extendedProperties: null }],
    ['has only a shared bookingId', { extendedProperties: { shared: { bookingId: BOOKING_ID } } }],
    ['has a bookingId that is not a UUID', { extendedProperties: { private: { bookingId: "1'; drop" } } }],
  ])('When the event %s, then it belongs to no booking', (_what, overrides) => {
    expect(bookingIdOfEvent(googleEvent(overrides))).toBeNull();
  });
});

describe("The participant's attendance", () => {
  const view = toGoogleEventView(googleEvent());

  test('When the participant is on the event, then their reply counts, whatever the case of the e-mail', () => {
    expect(attendanceOf(view, 'PAT.DOE@example.com')).toBe('declined');
  });

  test('When the participant is missing from a complete list, then they were removed', () => {
    expect(attendanceOf(view, 'someone@else.test')).toBe('removed');
  });

  test('When the participant is missing from a list Google shortened, then nothing is known', () => {
    expect(attendanceOf({ ...view, attendeesOmitted: true }, 'someone@else.test')).toBe('unknown');
  });
});

function withOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
