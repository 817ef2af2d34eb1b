import {
  explainHostSlot,
  type HostExplainInput,
  type HostExplainQuery,
  type HostSlotReason,
  type SchedulingType,
} from '../../src/availability';

/** Europe/Berlin is UTC+1 and New York UTC−5 in December: times below carry their offset. */
const weekdays = (start: string, end: string) => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day };
};
const berlin = (local: string) => new Date(`${local}:00+01:00`);

const ada: HostExplainInput = {
  hostId: 'ada',
  name: 'Ada',
  hours: { timeZone: 'Europe/Berlin', availability: { weekly: weekdays('09:00', '17:00') } },
  calendarBusy: [{ start: berlin('2026-12-08T10:00'), end: berlin('2026-12-08T11:00'), title: 'Team sync' }],
  bookings: [],
};
const ben: HostExplainInput = {
  hostId: 'ben',
  name: 'Ben',
  hours: { timeZone: 'America/New_York', availability: { weekly: weekdays('09:00', '17:00') } },
  calendarBusy: [],
  bookings: [],
};

function study(schedulingType: SchedulingType, changes: Partial<HostExplainQuery> = {}): HostExplainQuery {
  return {
    schedulingType,
    timeZone: 'Europe/Berlin',
    availability: { weekly: weekdays('09:00', '17:00') },
    durationMinutes: 30,
    slotStepMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minNoticeMinutes: 60,
    window: { horizonDays: 14 },
    // Monday 7 December 2026, 09:00 in Berlin.
    now: berlin('2026-12-07T09:00'),
    hosts: [ada, ben],
    ...changes,
  };
}

const messages = (reasons: HostSlotReason[]) => reasons.map((reason) => reason.message);

describe('Why a time is not offered, with several hosts', () => {
  test('When a collective time finds Ada in a meeting and Ben before his hours, then both are named with their reason', () => {
    const explanation = explainHostSlot(study('collective'), berlin('2026-12-08T10:00'));

    expect(messages(explanation.reasons)).toEqual([
      'A collective interview needs every host free; not free: Ada, Ben.',
      'Ada: busy: “Team sync” (2026-12-08 10:00–11:00).',
      "Ben (hours in America/New_York): 04:00 is outside Tuesday's hours (09:00–17:00).",
    ]);
    expect(explanation.reasons.map((reason) => [reason.code, reason.details.hostId])).toEqual([
      ['not-all-hosts-free', undefined],
      ['busy-event', 'ada'],
      ['outside-weekly-hours', 'ben'],
    ]);
  });

  test('When no round-robin host is free, then round robin says it needs one, and why each is not', () => {
    const explanation = explainHostSlot(study('round_robin'), berlin('2026-12-08T10:00'));

    expect(messages(explanation.reasons)).toEqual([
      'Round robin needs one free host, and no host is free at this time.',
      'Ada: busy: “Team sync” (2026-12-08 10:00–11:00).',
      "Ben (hours in America/New_York): 04:00 is outside Tuesday's hours (09:00–17:00).",
    ]);
  });

  test('When one round-robin host is free, then the time is offered, and the researcher still sees why the other is not', () => {
    const explanation = explainHostSlot(
      study('round_robin', {
        hosts: [
          { ...ada, calendarBusy: [{ start: berlin('2026-12-08T16:00'), end: berlin('2026-12-08T17:00') }] },
          ben,
        ],
      }),
      berlin('2026-12-08T16:00'),
    );

    expect(explanation.reasons).toEqual([]);
    expect(explanation.hosts.map((host) => [host.name, host.free, messages(host.reasons)])).toEqual([
      ['Ada', false, ['Ada: busy (2026-12-08 16:00–17:00).']],
      ['Ben', true, []],
    ]);
  });

  test('When only Ben has another interview at a collective time, then the verdict names Ben alone', () => {
    const explanation = explainHostSlot(
      study('collective', {
        hosts: [
          ada,
          { ...ben, bookings: [{ start: berlin('2026-12-08T15:00'), end: berlin('2026-12-08T15:30') }] },
        ],
      }),
      berlin('2026-12-08T15:00'),
    );

    expect(messages(explanation.reasons)).toEqual([
      'A collective interview needs every host free; not free: Ben.',
      'Ben: another interview is booked at this time (2026-12-08 15:00–15:30).',
    ]);
  });

  test('When a host reached the daily limit, then the limit is named as theirs', () => {
    const explanation = explainHostSlot(
      study('collective', {
        dailyLimit: 1,
        hosts: [{ ...ada, calendarBusy: [], studyBookingStarts: [berlin('2026-12-09T09:00')] }, ben],
      }),
      berlin('2026-12-09T15:30'),
    );

    expect(messages(explanation.reasons)).toEqual([
      'A collective interview needs every host free; not free: Ada.',
      'Ada already has 1 interview of this study on 2026-12-09, the daily limit per host of 1.',
    ]);
  });

  test("When a host's calendar connection is revoked, then they take no new bookings", () => {
    const explanation = explainHostSlot(
      study('collective', { hosts: [{ ...ada, calendarBusy: [], connection: 'revoked' }, ben] }),
      berlin('2026-12-08T15:30'),
    );

    expect(messages(explanation.reasons)).toEqual([
      'A collective interview needs every host free; not free: Ada.',
      'Ada takes no new bookings: the Google Calendar connection was revoked.',
    ]);
  });

  test("When every host keeps the study's schedule, then its hours and the notice are given once, as the study's", () => {
    const shared = study('round_robin', {
      hosts: [
        { ...ada, hours: undefined, calendarBusy: [] },
        { ...ben, hours: undefined },
      ],
    });

    expect(messages(explainHostSlot(shared, berlin('2026-12-08T17:30')).reasons)).toEqual([
      "17:30 is outside Tuesday's hours (09:00–17:00).",
    ]);
    expect(messages(explainHostSlot(shared, berlin('2026-12-07T09:30')).reasons)).toEqual([
      "Bookings need 1 hour's notice; the earliest start now is 2026-12-07 10:00.",
    ]);
  });

  test('When a one-on-one host is busy, then the reasons read as they do for a single researcher', () => {
    const explanation = explainHostSlot(
      study('one_on_one', { hosts: [{ ...ada, hours: undefined }] }),
      berlin('2026-12-08T10:30'),
    );

    expect(messages(explanation.reasons)).toEqual([
      'The calendar is busy: “Team sync” (2026-12-08 10:00–11:00).',
    ]);
  });
});
