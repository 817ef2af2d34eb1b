import {
  decideDueReminders,
  planReminders,
  reminderLead,
  reminderPlanChanges,
  ReminderMinutesBefore,
  type ExistingReminder,
} from '../../src/reminders/reminder-plan';

const start = new Date('2026-12-08T10:00:00Z');
const at = (minutesFromStart: number) => new Date(start.getTime() + minutesFromStart * 60_000);
const plan = (overrides: Partial<Parameters<typeof planReminders>[0]> = {}) =>
  planReminders({
    interviewStart: start,
    minutesBefore: [1440, 60],
    awaitsInterview: true,
    unsubscribed: false,
    now: at(-3 * 1440),
    ...overrides,
  });

describe('Planning reminders (pure)', () => {
  test('When an interview is booked days ahead, then there is one reminder per offset at its time', () => {
    expect(plan()).toEqual([
      { minutesBefore: 1440, dueAt: at(-1440) },
      { minutesBefore: 60, dueAt: at(-60) },
    ]);
  });

  test('When an interview is booked 3 hours ahead, then the 24-hour reminder is skipped and the 1-hour one kept', () => {
    expect(plan({ now: at(-180) })).toEqual([{ minutesBefore: 60, dueAt: at(-60) }]);
  });

  test.each([
    ['there is no confirmed interview', { interviewStart: null }],
    ['the participant has a verdict or was cancelled', { awaitsInterview: false }],
    ['the participant unsubscribed', { unsubscribed: true }],
    ['the study has no reminders', { minutesBefore: [] }],
  ])('When %s, then nothing is planned', (_why, overrides) => {
    expect(plan(overrides)).toEqual([]);
  });

  const row = (
    id: string,
    minutesBefore: number,
    state: 'planned' | 'sent',
    interviewStart = start,
  ): ExistingReminder => ({
    id,
    bookingId: 'b1',
    minutesBefore,
    interviewStart,
    state,
  });

  test('When nothing changed, then re-planning keeps every row and adds none', () => {
    expect(reminderPlanChanges([row('r1', 1440, 'planned'), row('r2', 60, 'planned')], 'b1', plan())).toEqual(
      {
        drop: [],
        add: [],
      },
    );
  });

  test('When the interview moved, then the planned rows are dropped and the reminders planned for the new time, even one already sent', () => {
    const moved = at(120);
    const wanted = plan({ interviewStart: moved });
    expect(reminderPlanChanges([row('r1', 1440, 'sent'), row('r2', 60, 'planned')], 'b1', wanted)).toEqual({
      drop: ['r2'],
      add: wanted,
    });
  });

  test('When a reminder was already sent for this very time, then it is not planned again', () => {
    expect(reminderPlanChanges([row('r1', 1440, 'sent')], 'b1', plan())).toEqual({
      drop: [],
      add: [{ minutesBefore: 60, dueAt: at(-60) }],
    });
  });

  test('When the booking is gone, then every planned row is dropped', () => {
    expect(reminderPlanChanges([row('r1', 1440, 'sent'), row('r2', 60, 'planned')], null, [])).toEqual({
      drop: ['r2'],
      add: [],
    });
  });
});

describe('Deciding on due reminders (pure)', () => {
  const due = (id: string, minutesBefore: number) => ({ id, minutesBefore, dueAt: at(-minutesBefore) });

  test('When one reminder is due, then it is sent', () => {
    expect(decideDueReminders([due('a', 60)], start, at(-59))).toEqual({ send: due('a', 60), drop: [] });
  });

  test('When two are due at once, then the one closest to the interview is sent and the other dropped', () => {
    expect(decideDueReminders([due('a', 1440), due('b', 120)], start, at(-110))).toEqual({
      send: due('b', 120),
      drop: [{ id: 'a', because: 'too late for its wording' }],
    });
    expect(decideDueReminders([due('a', 180), due('b', 120)], start, at(-119))).toEqual({
      send: due('b', 120),
      drop: [{ id: 'a', because: 'a later reminder was due at the same time' }],
    });
  });

  test('When the interview is less than 10 minutes away or has begun, then nothing is sent', () => {
    for (const now of [at(-9), at(0), at(30)]) {
      expect(decideDueReminders([due('a', 15)], start, now).send).toBeNull();
    }
  });

  test('When a 24-hour reminder is found 13 hours late, then it is dropped, not sent as "tomorrow"', () => {
    expect(decideDueReminders([due('a', 1440)], start, at(-1440 + 13 * 60))).toEqual({
      send: null,
      drop: [{ id: 'a', because: 'too late for its wording' }],
    });
  });
});

describe('Reminder settings and wording', () => {
  test.each([
    [
      [1440, 60],
      [1440, 60],
    ],
    [
      [60, 1440],
      [1440, 60],
    ],
    [[], []],
    [
      [15, 10080, 30],
      [10080, 30, 15],
    ],
  ])('When the study asks for %j, then it is kept (latest first) as %j', (given, kept) => {
    expect(ReminderMinutesBefore.parse(given)).toEqual(kept);
  });

  test.each([
    [[10], 'at least 15 minutes'],
    [[10081], 'at most 7 days'],
    [[60, 60], 'only once'],
    [[60, 120, 180, 240], 'At most 3'],
    [[1.5], 'whole number'],
    [['60'], 'number of minutes'],
  ])('When the study asks for %j, then it is refused saying %s', (given, words) => {
    const result = ReminderMinutesBefore.safeParse(given);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(' ')).toContain(words);
  });

  test.each([
    [1440, 'tomorrow'],
    [2880, 'in 2 days'],
    [60, 'in 1 hour'],
    [120, 'in 2 hours'],
    [30, 'in 30 minutes'],
    [90, 'in 1 hour 30 minutes'],
  ])('A reminder %i minutes before says the interview is %s', (minutesBefore, words) => {
    expect(reminderLead(minutesBefore)).toBe(words);
  });
});
