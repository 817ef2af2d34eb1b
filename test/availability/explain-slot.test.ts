import { explainSlot, type ExplainQuery, type SlotReason } from '../../src/availability';

/** Europe/Berlin is UTC+1 in December: times below are written with their offset. */
const study: ExplainQuery = {
  timeZone: 'Europe/Berlin',
  availability: {
    weekly: {
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      tue: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      wed: [{ start: '09:00', end: '17:00' }],
      thu: [{ start: '09:00', end: '17:00' }],
      fri: [{ start: '09:00', end: '17:00' }],
    },
  },
  durationMinutes: 30,
  slotStepMinutes: 30,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minNoticeMinutes: 60,
  window: { horizonDays: 14 },
  // Monday 7 December 2026, 09:00 in Berlin.
  now: new Date('2026-12-07T09:00:00+01:00'),
  calendarBusy: [],
  bookings: [],
};

const berlin = (local: string) => new Date(`${local}:00+01:00`);
const explain = (changes: Partial<ExplainQuery>, local: string) =>
  explainSlot({ ...study, ...changes }, berlin(local)).reasons;
const codes = (reasons: SlotReason[]) => reasons.map((reason) => reason.code);

describe('Why a time is not offered', () => {
  test('When the time is a free slot, then there is no reason and the end is start + duration', () => {
    const explanation = explainSlot(study, berlin('2026-12-08T10:00'));

    expect(explanation.reasons).toEqual([]);
    expect(explanation.end.toISOString()).toBe('2026-12-08T09:30:00.000Z');
  });

  test.each([
    ['the lunch break', '2026-12-08T12:30', /12:30 is outside Tuesday's hours \(09:00–12:00, 13:00–17:00\)/],
    ['a Saturday', '2026-12-12T10:00', /no interview hours on Saturdays/],
    [
      'a start whose interview would end after the hours',
      '2026-12-08T16:45',
      /would end at 17:15, after Tuesday's hours end at 17:00/,
    ],
  ])('When the time is in %s, then it is outside the weekly hours', (_story, local, message) => {
    const reasons = explain({}, local);

    expect(codes(reasons)).toEqual(['outside-weekly-hours']);
    expect(reasons[0]!.message).toMatch(message);
  });

  test('When a date override closes the day, then the override is the reason', () => {
    const reasons = explain(
      { availability: { ...study.availability, dateOverrides: [{ date: '2026-12-09', windows: [] }] } },
      '2026-12-09T10:00',
    );

    expect(codes(reasons)).toEqual(['date-override']);
    expect(reasons[0]!.message).toBe('2026-12-09 is closed by a date override.');
  });

  test('When a date override gives the day other hours, then the override and its hours are the reason', () => {
    const reasons = explain(
      {
        availability: {
          ...study.availability,
          dateOverrides: [{ date: '2026-12-10', windows: [{ start: '14:00', end: '15:00' }] }],
        },
      },
      '2026-12-10T10:00',
    );

    expect(codes(reasons)).toEqual(['date-override']);
    expect(reasons[0]!.message).toMatch(/own hours by a date override \(14:00–15:00\)/);
    expect(reasons[0]!.details).toMatchObject({
      date: '2026-12-10',
      windows: [{ start: '14:00', end: '15:00' }],
    });
  });

  test('When the time is inside the hours but between start times, then it is not on the grid, with the nearest starts', () => {
    const reasons = explain({}, '2026-12-08T10:10');

    expect(codes(reasons)).toEqual(['not-on-grid']);
    expect(reasons[0]!.message).toMatch(/every 30 minutes .*nearest: 10:00, 10:30/);
    expect(reasons[0]!.details).toMatchObject({
      stepMinutes: 30,
      previousStart: '2026-12-08T09:00:00.000Z',
      nextStart: '2026-12-08T09:30:00.000Z',
    });
  });

  test('When the time is sooner than the minimum notice, then notice is the reason, with the earliest start', () => {
    const reasons = explain({}, '2026-12-07T09:30');

    expect(codes(reasons)).toEqual(['min-notice']);
    expect(reasons[0]!.message).toBe(
      "Bookings need 1 hour's notice; the earliest start now is 2026-12-07 10:00.",
    );
  });

  test('When the time is beyond the rolling horizon, then the horizon is the reason', () => {
    const reasons = explain({}, '2026-12-22T10:00');

    expect(codes(reasons)).toEqual(['beyond-horizon']);
    expect(reasons[0]!.message).toMatch(
      /More than 14 days ahead; participants can book starts before 2026-12-21 09:00/,
    );
  });

  test("When the date is outside the study's fixed dates, then the date range is the reason", () => {
    const reasons = explain(
      { window: { startDate: '2026-12-08', endDate: '2026-12-10' } },
      '2026-12-11T10:00',
    );

    expect(codes(reasons)).toEqual(['outside-date-range']);
    expect(reasons[0]!.message).toBe("2026-12-11 is outside the study's dates, 2026-12-08 to 2026-12-10.");
  });

  test('When a calendar event covers the time, then its title is the reason', () => {
    const reasons = explain(
      {
        calendarBusy: [
          { start: berlin('2026-12-08T10:00'), end: berlin('2026-12-08T11:00'), title: 'Dentist' },
        ],
      },
      '2026-12-08T10:30',
    );

    expect(codes(reasons)).toEqual(['busy-event']);
    expect(reasons[0]!.message).toBe('The calendar is busy: “Dentist” (2026-12-08 10:00–11:00).');
    expect(reasons[0]!.details).toMatchObject({ title: 'Dentist', inBuffer: false });
  });

  test('When a calendar event has no title, then it is just "busy"', () => {
    const reasons = explain(
      { calendarBusy: [{ start: berlin('2026-12-08T10:00'), end: berlin('2026-12-08T11:00') }] },
      '2026-12-08T10:00',
    );

    expect(reasons[0]!.message).toBe('The calendar is busy (2026-12-08 10:00–11:00).');
    expect(reasons[0]!.details).toMatchObject({ title: null });
  });

  test('When a calendar event only touches the buffer, then it is named as too close', () => {
    const reasons = explain(
      {
        bufferAfterMinutes: 15,
        calendarBusy: [
          { start: berlin('2026-12-08T11:00'), end: berlin('2026-12-08T12:00'), title: 'Standup' },
        ],
      },
      '2026-12-08T10:30',
    );

    expect(codes(reasons)).toEqual(['busy-event']);
    expect(reasons[0]!.message).toMatch(
      /^Too close to a calendar event “Standup” \(2026-12-08 11:00–12:00\): the study keeps a buffer of 15 minutes after each interview\.$/,
    );
    expect(reasons[0]!.details).toMatchObject({ inBuffer: true });
  });

  test('When another interview ends right before and the study keeps a buffer, then the buffer is the reason', () => {
    const reasons = explain(
      {
        bufferBeforeMinutes: 15,
        bookings: [{ start: berlin('2026-12-08T09:30'), end: berlin('2026-12-08T10:00') }],
      },
      '2026-12-08T10:00',
    );

    expect(codes(reasons)).toEqual(['buffer']);
    expect(reasons[0]!.message).toBe(
      'Too close to another interview (2026-12-08 09:30–10:00): the study keeps a buffer of 15 minutes before each interview.',
    );
    expect(reasons[0]!.details).toMatchObject({ side: 'before' });
  });

  test('When another interview is at that time, then it is already booked', () => {
    const reasons = explain(
      { bookings: [{ start: berlin('2026-12-08T10:00'), end: berlin('2026-12-08T10:30') }] },
      '2026-12-08T10:00',
    );

    expect(codes(reasons)).toEqual(['already-booked']);
    expect(reasons[0]!.message).toBe('Another interview is booked at this time (2026-12-08 10:00–10:30).');
  });

  test("When the day already holds the study's daily limit, then the limit is the reason", () => {
    const reasons = explain(
      { dailyLimit: 2, studyBookingStarts: [berlin('2026-12-08T09:00'), berlin('2026-12-08T15:00')] },
      '2026-12-08T10:00',
    );

    expect(codes(reasons)).toEqual(['daily-limit']);
    expect(reasons[0]!.message).toBe(
      '2026-12-08 already has 2 interviews of this study, the daily limit of 2.',
    );
  });

  test('When several rules keep a time off, then every one of them is given', () => {
    const reasons = explain(
      {
        calendarBusy: [
          { start: berlin('2026-12-26T00:00'), end: berlin('2026-12-27T00:00'), title: 'Holiday' },
        ],
      },
      '2026-12-26T10:10',
    );

    expect(codes(reasons)).toEqual(['outside-weekly-hours', 'beyond-horizon', 'busy-event']);
  });

  test('When a clock time happens twice as the clocks go back, then only the first one is offered', () => {
    // Berlin goes from 03:00 CEST back to 02:00 CET on 25 October 2026: 02:30 happens twice.
    const night: Partial<ExplainQuery> = {
      now: new Date('2026-10-20T12:00:00Z'),
      availability: { weekly: { sun: [{ start: '00:00', end: '06:00' }] } },
    };

    expect(explainSlot({ ...study, ...night }, new Date('2026-10-25T00:30:00Z')).reasons).toEqual([]);
    const second = explainSlot({ ...study, ...night }, new Date('2026-10-25T01:30:00Z')).reasons;
    expect(codes(second)).toEqual(['not-on-grid']);
    expect(second[0]!.message).toMatch(/02:30 happens twice that day/);
  });
});
