import fc from 'fast-check';
import {
  computeHostSlots,
  pickRoundRobinHost,
  type HostInput,
  type HostSlotQuery,
  type RoundRobinStats,
} from '../../src/availability';

const MINUTE = 60_000;
const stats = (entries: Record<string, RoundRobinStats>) => new Map(Object.entries(entries));
const on = (iso: string) => new Date(iso);

describe('Picking the round-robin host', () => {
  test.each([
    ['no host is free', undefined, [], {}],
    ['only one host is free', 'ben', ['ben'], { ada: { interviews: 0 }, ben: { interviews: 9 } }],
    [
      'hosts have different numbers of interviews in the study',
      'ben',
      ['ada', 'ben', 'cem'],
      { ada: { interviews: 3 }, ben: { interviews: 1 }, cem: { interviews: 2 } },
    ],
    [
      'the host with the fewest interviews is not free',
      'cem',
      ['ada', 'cem'],
      { ada: { interviews: 3 }, ben: { interviews: 0 }, cem: { interviews: 2 } },
    ],
    [
      'counts tie and one was booked longer ago',
      'ben',
      ['ada', 'ben'],
      {
        ada: { interviews: 2, lastBookedAt: on('2026-03-02T10:00:00Z') },
        ben: { interviews: 2, lastBookedAt: on('2026-03-01T10:00:00Z') },
      },
    ],
    [
      'counts tie and one was never booked',
      'ben',
      ['ada', 'ben'],
      {
        ada: { interviews: 0, lastBookedAt: on('2026-03-01T10:00:00Z') },
        ben: { interviews: 0, lastBookedAt: null },
      },
    ],
    ['a new host has no record yet', 'dan', ['ada', 'dan'], { ada: { interviews: 1 } }],
    [
      'counts and last bookings tie',
      'ada',
      ['cem', 'ada', 'ben'],
      {
        ada: { interviews: 1, lastBookedAt: on('2026-03-01T10:00:00Z') },
        ben: { interviews: 1, lastBookedAt: on('2026-03-01T10:00:00Z') },
        cem: { interviews: 1, lastBookedAt: on('2026-03-01T10:00:00Z') },
      },
    ],
    // By code unit, so uppercase sorts first whatever the server's locale.
    ['nobody was ever booked', 'Ben', ['cem', 'Ben', 'ada'], {}],
  ] as const)('When %s, then the pick is %s', (_story, expected, candidates, records) => {
    expect(pickRoundRobinHost(candidates, stats(records))).toBe(expected);
  });

  test('When a last-booked time is not a valid date, then the pick is refused instead of depending on order', () => {
    expect(() =>
      pickRoundRobinHost(['ada'], stats({ ada: { interviews: 0, lastBookedAt: new Date('nonsense') } })),
    ).toThrow(/lastBookedAt of ada/);
  });

  test('When the same candidates come in any order, then the same host is picked, the least loaded one', () => {
    const record = fc.record({
      interviews: fc.integer({ min: 0, max: 3 }),
      lastBookedAt: fc.option(
        fc.integer({ min: 0, max: 3 }).map((day) => new Date(Date.UTC(2026, 2, 1 + day))),
      ),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.constantFrom('ada', 'ben', 'cem', 'dan', 'eve'), { minLength: 1 })
          .chain((ids) =>
            fc.tuple(
              fc.constant(ids),
              fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
            ),
          ),
        fc.dictionary(fc.constantFrom('ada', 'ben', 'cem', 'dan', 'eve'), record),
        ([candidates, shuffled], records) => {
          const map = new Map(Object.entries(records));
          const picked = pickRoundRobinHost(candidates, map)!;
          expect(pickRoundRobinHost(shuffled, map)).toBe(picked);
          const fewest = Math.min(...candidates.map((id) => map.get(id)?.interviews ?? 0));
          expect(map.get(picked)?.interviews ?? 0).toBe(fewest);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Round-robin fairness over 200 bookings', () => {
  const hosts = ['ada', 'ben', 'cem'];

  /** Books `count` interviews, every host always free; returns who got each. */
  function simulate(count: number): string[] {
    const records = new Map<string, RoundRobinStats>();
    const assigned: string[] = [];
    for (let booking = 0; booking < count; booking++) {
      const host = pickRoundRobinHost(hosts, records)!;
      const before = records.get(host)?.interviews ?? 0;
      records.set(host, {
        interviews: before + 1,
        lastBookedAt: new Date(Date.UTC(2026, 2, 1) + booking * MINUTE),
      });
      assigned.push(host);
    }
    return assigned;
  }

  test('When every host is always free, then after each of 200 bookings the counts differ by at most one', () => {
    const assigned = simulate(200);
    const counts = new Map<string, number>();
    assigned.forEach((host) => {
      counts.set(host, (counts.get(host) ?? 0) + 1);
      const values = hosts.map((id) => counts.get(id) ?? 0);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
    });
    expect(hosts.map((id) => counts.get(id))).toEqual([67, 67, 66]);
    // Ties go to the least recently booked, so the hosts take turns.
    expect(assigned.slice(0, 6)).toEqual(['ada', 'ben', 'cem', 'ada', 'ben', 'cem']);
  });

  test('When the same 200 bookings are simulated twice, then every assignment is the same', () => {
    expect(simulate(200)).toEqual(simulate(200));
  });

  test('When 200 participants book through the slot list, then each booking goes to a free host with the fewest interviews, and the same choices give the same hosts', () => {
    // Participants pick slots all over the horizon; a booked host is busy at that time in
    // every later slot list (the booking occupies them), so the others are the candidates.
    function book(seed: number): string[] {
      const busy = new Map(hosts.map((id) => [id, [] as { start: Date; end: Date }[]]));
      const records = new Map<string, RoundRobinStats>();
      const assigned: string[] = [];
      for (let booking = 0; booking < 200; booking++) {
        const query: HostSlotQuery = {
          schedulingType: 'round_robin',
          timeZone: 'Europe/Berlin',
          availability: {
            weekly: { mon: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }] },
          },
          durationMinutes: 60,
          slotStepMinutes: 60,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 15,
          minNoticeMinutes: 0,
          window: { horizonDays: 60 },
          now: new Date('2026-03-01T00:00:00Z'),
          hosts: hosts.map((id): HostInput => ({ hostId: id, name: id, busy: busy.get(id)! })),
        };
        const { slots, hostsByStart } = computeHostSlots(query);
        const slot = slots[(booking * seed) % slots.length]!;
        const candidates = hostsByStart.get(slot.start.getTime())!;
        const host = pickRoundRobinHost(candidates, records)!;
        const fewest = Math.min(...candidates.map((id) => records.get(id)?.interviews ?? 0));
        expect(records.get(host)?.interviews ?? 0).toBe(fewest);
        records.set(host, {
          interviews: (records.get(host)?.interviews ?? 0) + 1,
          lastBookedAt: new Date(query.now.getTime() + booking * MINUTE),
        });
        busy.get(host)!.push({ start: slot.start, end: slot.end });
        assigned.push(host);
      }
      return assigned;
    }

    const first = book(7919);
    expect(book(7919)).toEqual(first);
    const counts = hosts.map((id) => first.filter((host) => host === id).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});
