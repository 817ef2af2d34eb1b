import {
  checkHostSlot,
  computeHostSlots,
  type HostInput,
  type HostSlotQuery,
  type HostSlots,
  type LocalDate,
} from '../../src/availability';
import { at, busyBetween, wallClock } from './slot-fixtures';

const berlin = 'Europe/Berlin';
const newYork = 'America/New_York';
const weekdays = (start: string, end: string) => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day };
};

/** Ada keeps afternoons in Berlin, Ben mornings in New York: the same hours when 6 hours apart. */
const ada: HostInput = {
  hostId: 'ada',
  name: 'Ada',
  hours: { timeZone: berlin, availability: { weekly: weekdays('15:00', '18:00') } },
  busy: [],
};
const ben: HostInput = {
  hostId: 'ben',
  name: 'Ben',
  hours: { timeZone: newYork, availability: { weekly: weekdays('09:00', '12:00') } },
  busy: [],
};

function study(
  overrides: Partial<HostSlotQuery> & Pick<HostSlotQuery, 'schedulingType' | 'hosts'>,
): HostSlotQuery {
  return {
    timeZone: berlin,
    availability: { weekly: weekdays('09:00', '12:00') },
    durationMinutes: 60,
    slotStepMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minNoticeMinutes: 0,
    now: new Date('2026-01-01T00:00:00Z'),
    window: { horizonDays: 365 },
    ...overrides,
  };
}

const onDate = (date: LocalDate) => ({ window: { startDate: date, endDate: date } });
/** Slots in Berlin wall-clock time, each with the hosts free for it. */
const withHosts = (result: HostSlots) =>
  result.slots.map(
    (slot) => `${wallClock([slot], berlin)[0]} ${result.hostsByStart.get(slot.start.getTime())!.join('+')}`,
  );

describe('Collective and round-robin slots for hosts in Berlin and New York', () => {
  test.each([
    ['2026-03-04', 'both on standard time, 6 hours apart', ['15:00', '16:00', '17:00']],
    ['2026-03-11', 'New York already on summer time, 5 hours apart', ['15:00', '16:00']],
    ['2026-04-01', 'both on summer time, 6 hours apart again', ['15:00', '16:00', '17:00']],
    ['2026-10-28', 'Berlin back on standard time a week before New York', ['15:00', '16:00']],
    ['2026-11-04', 'both back on standard time', ['15:00', '16:00', '17:00']],
  ])(
    'When the study is collective on %s (%s), then only the common hours are offered',
    (date, _story, starts) => {
      const result = computeHostSlots(
        study({ schedulingType: 'collective', hosts: [ada, ben], ...onDate(date) }),
      );

      expect(withHosts(result)).toEqual(
        starts.map((start) => `${date} ${start}–${Number(start.slice(0, 2)) + 1}:00 ada+ben`),
      );
    },
  );

  test("When the study is round robin while the zones are 5 hours apart, then every host's hours are offered, each with who is free", () => {
    const result = computeHostSlots(
      study({ schedulingType: 'round_robin', hosts: [ada, ben], ...onDate('2026-03-11') }),
    );

    expect(withHosts(result)).toEqual([
      '2026-03-11 14:00–15:00 ben',
      '2026-03-11 15:00–16:00 ada+ben',
      '2026-03-11 16:00–17:00 ada+ben',
      '2026-03-11 17:00–18:00 ada',
    ]);
  });

  test('When the public slots are built, then they carry only start and end, never who or how many are free', () => {
    const result = computeHostSlots(
      study({ schedulingType: 'round_robin', hosts: [ada, ben], ...onDate('2026-03-11') }),
    );

    expect(JSON.parse(JSON.stringify(result.slots))[0]).toEqual({
      start: '2026-03-11T13:00:00.000Z',
      end: '2026-03-11T14:00:00.000Z',
    });
  });
});

describe('Per-host busy time, buffers and daily limit', () => {
  // Both keep the study's common schedule: Monday 2 March 2026, 09:00–12:00 in Berlin.
  const monday = onDate('2026-03-02');
  const adaBooked: HostInput = {
    hostId: 'ada',
    name: 'Ada',
    busy: [busyBetween('2026-03-02 10:00', '2026-03-02 11:00', berlin)],
  };
  const benFree: HostInput = { hostId: 'ben', name: 'Ben', busy: [] };

  test("When Ada has an interview and the study keeps 15-minute buffers, then round robin offers Ben around it and Ada's buffer does not stop Ben", () => {
    const result = computeHostSlots(
      study({
        schedulingType: 'round_robin',
        hosts: [adaBooked, benFree],
        bufferBeforeMinutes: 15,
        bufferAfterMinutes: 15,
        ...monday,
      }),
    );

    expect(withHosts(result)).toEqual([
      '2026-03-02 09:00–10:00 ben',
      '2026-03-02 10:00–11:00 ben',
      '2026-03-02 11:00–12:00 ben',
    ]);
  });

  test('When Ada is busy in the middle of the morning, then a collective study offers only the hours both are free', () => {
    const result = computeHostSlots(
      study({ schedulingType: 'collective', hosts: [adaBooked, benFree], ...monday }),
    );

    expect(withHosts(result)).toEqual(['2026-03-02 09:00–10:00 ada+ben', '2026-03-02 11:00–12:00 ada+ben']);
  });

  test('When Ada already holds the daily limit of this study on Monday, then round robin gives Monday to Ben and Tuesday to both', () => {
    const result = computeHostSlots(
      study({
        schedulingType: 'round_robin',
        dailyLimit: 1,
        window: { startDate: '2026-03-02', endDate: '2026-03-03' },
        slotStepMinutes: 180,
        durationMinutes: 180,
        hosts: [
          { ...benFree, hostId: 'ada', name: 'Ada', studyBookingStarts: [at('2026-03-02 08:00', berlin)] },
          benFree,
        ],
      }),
    );

    expect(withHosts(result)).toEqual(['2026-03-02 09:00–12:00 ben', '2026-03-03 09:00–12:00 ada+ben']);
  });

  test("When Ada's calendar connection is revoked, then round robin goes on with Ben and a collective study offers nothing", () => {
    const revoked: HostInput = { ...benFree, hostId: 'ada', name: 'Ada', connection: 'revoked' };

    expect(
      withHosts(
        computeHostSlots(study({ schedulingType: 'round_robin', hosts: [revoked, benFree], ...monday })),
      ),
    ).toEqual(['2026-03-02 09:00–10:00 ben', '2026-03-02 10:00–11:00 ben', '2026-03-02 11:00–12:00 ben']);
    expect(
      computeHostSlots(study({ schedulingType: 'collective', hosts: [revoked, benFree], ...monday })).slots,
    ).toEqual([]);
  });
});

describe('Checking one start for several hosts', () => {
  const query = (schedulingType: HostSlotQuery['schedulingType']) =>
    study({
      schedulingType,
      // Ada's hours give 15:00–18:00 Berlin; Ben's (New York 09:00–12:00) give 15:00–18:00 too,
      // but Ben is busy at 15:00.
      hosts: [ada, { ...ben, busy: [busyBetween('2026-03-04 15:00', '2026-03-04 16:00', berlin)] }],
      ...onDate('2026-03-04'),
    });

  test('When one host is busy, then a collective start is refused as busy and a round-robin start goes to the other host', () => {
    const start = at('2026-03-04 15:00', berlin);

    expect(checkHostSlot(query('collective'), start)).toEqual({ available: false, reason: 'busy' });
    expect(checkHostSlot(query('round_robin'), start)).toEqual({
      available: true,
      slot: { start, end: at('2026-03-04 16:00', berlin) },
      hostIds: ['ada'],
    });
  });

  test("When a start is outside one host's hours and the other is busy, then collective says it is no slot and round robin that it is taken", () => {
    // 14:00 in Berlin: inside Ada's hours but she is busy; 08:00 in New York, before Ben's hours.
    const busyAda: HostInput = {
      ...ada,
      hours: { timeZone: berlin, availability: { weekly: weekdays('14:00', '18:00') } },
      busy: [busyBetween('2026-03-04 14:00', '2026-03-04 18:00', berlin)],
    };
    const q = (schedulingType: HostSlotQuery['schedulingType']) =>
      study({ schedulingType, hosts: [busyAda, ben], ...onDate('2026-03-04') });
    const start = at('2026-03-04 14:00', berlin);

    expect(checkHostSlot(q('collective'), start)).toEqual({ available: false, reason: 'not-a-slot' });
    expect(checkHostSlot(q('round_robin'), start)).toEqual({ available: false, reason: 'busy' });
  });

  test('When a start is sooner than the notice, then every type refuses it as too soon', () => {
    const soon = { ...query('round_robin'), now: at('2026-03-04 14:30', berlin), minNoticeMinutes: 60 };

    expect(checkHostSlot(soon, at('2026-03-04 15:00', berlin))).toEqual({
      available: false,
      reason: 'too-soon',
    });
  });
});

describe('Host lists the scheduling type cannot work with', () => {
  test.each([
    ['a one-on-one study with two hosts', 'one_on_one', [ada, ben], /exactly one host/],
    ['a collective study with no host', 'collective', [], /at least one host/],
    ['a round robin listing a host twice', 'round_robin', [ada, ada], /listed twice/],
  ] as const)(
    'When %s is asked for slots, then it is refused as a wiring error',
    (_story, schedulingType, hosts, message) => {
      expect(() => computeHostSlots(study({ schedulingType, hosts }))).toThrow(message);
    },
  );
});
