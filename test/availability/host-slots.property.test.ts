import fc from 'fast-check';
import {
  checkHostSlot,
  computeHostSlots,
  computeSlots,
  type HostSlotQuery,
  type HostSlots,
  type SlotQuery,
} from '../../src/availability';
import { hostSlotQuery, hostSlotQueryOf } from './host-arbitraries';
import { referenceHostSlots, referenceHostStarts } from './reference-host-slots';
import { referenceSlots } from './reference-slots';
import { slotQuery } from './slot-arbitraries';

const MINUTE = 60_000;
const runs = { numRuns: 100 };

/** A one-researcher study as a one-on-one study whose host keeps the study's schedule. */
function oneOnOne(query: SlotQuery, hours: 'study' | 'own-copy'): HostSlotQuery {
  const { busy, studyBookingStarts, ...rules } = query;
  return {
    ...rules,
    schedulingType: 'one_on_one',
    hosts: [
      {
        hostId: 'ada',
        name: 'Ada',
        busy,
        studyBookingStarts,
        ...(hours === 'own-copy'
          ? { hours: { timeZone: query.timeZone, availability: query.availability } }
          : {}),
      },
    ],
  };
}

const iso = (starts: Iterable<number>) => [...starts].map((start) => new Date(start).toISOString());
const asEntries = (result: HostSlots) =>
  result.slots.map((slot) => [slot.start.toISOString(), result.hostsByStart.get(slot.start.getTime())]);

describe('Slots of a study with several hosts, against a brute force', () => {
  test("When a one-on-one study's host keeps the study's schedule, then its slots are exactly today's computeSlots", () => {
    fc.assert(
      fc.property(slotQuery, fc.constantFrom<'study' | 'own-copy'>('study', 'own-copy'), (query, hours) => {
        const multi = computeHostSlots(oneOnOne(query, hours));
        const single = computeSlots(query);
        expect(multi.slots).toEqual(single);
        expect(multi.slots).toEqual(referenceSlots(query));
        for (const slot of multi.slots) expect(multi.hostsByStart.get(slot.start.getTime())).toEqual(['ada']);
      }),
      { numRuns: 150 },
    );
  });

  test("When one host is asked about, then their slots follow their own hours in their own zone and the study's rules in the study's zone", () => {
    fc.assert(
      fc.property(hostSlotQuery, (query) => {
        for (const host of query.hosts) {
          const alone: HostSlotQuery = { ...query, schedulingType: 'one_on_one', hosts: [host] };
          const starts = computeHostSlots(alone).slots.map((slot) => slot.start.getTime());
          expect(iso(starts)).toEqual(iso(referenceHostStarts(query, host)));
        }
      }),
      runs,
    );
  });

  test("When a study is collective, then its slots are the intersection of the hosts' slot sets, each with every host", () => {
    fc.assert(
      fc.property(hostSlotQueryOf(['collective']), (query) => {
        const expected = referenceHostSlots(query);
        expect(asEntries(computeHostSlots(query))).toEqual(
          [...expected].map(([start, hosts]) => [new Date(start).toISOString(), hosts]),
        );
        for (const hosts of expected.values()) expect(hosts).toEqual(query.hosts.map((host) => host.hostId));
      }),
      runs,
    );
  });

  test("When a study is round robin, then its slots are the union of the hosts' slot sets, each with the hosts free for it", () => {
    fc.assert(
      fc.property(hostSlotQueryOf(['round_robin']), (query) => {
        const expected = referenceHostSlots(query);
        expect(asEntries(computeHostSlots(query))).toEqual(
          [...expected].map(([start, hosts]) => [new Date(start).toISOString(), hosts]),
        );
      }),
      runs,
    );
  });

  test('When slots are listed, then each is only a start and an end, sorted, one duration long', () => {
    fc.assert(
      fc.property(hostSlotQuery, (query) => {
        const { slots } = computeHostSlots(query);
        slots.forEach((slot, index) => {
          expect(Object.keys(slot).sort()).toEqual(['end', 'start']);
          expect(slot.end.getTime() - slot.start.getTime()).toBe(query.durationMinutes * MINUTE);
          if (index > 0) expect(slot.start.getTime()).toBeGreaterThan(slots[index - 1]!.start.getTime());
        });
      }),
      runs,
    );
  });

  test('When a start is checked alone, then checkHostSlot agrees with the slot list and names the same hosts', () => {
    const probes = fc.array(fc.integer({ min: -96, max: 96 }), { maxLength: 10 });
    fc.assert(
      fc.property(hostSlotQuery, probes, (query, shifts) => {
        const { slots, hostsByStart } = computeHostSlots(query);
        const anchor = slots[0]?.start.getTime() ?? query.now.getTime() + query.minNoticeMinutes * MINUTE;
        const starts = [
          ...slots.slice(0, 10).map((slot) => slot.start.getTime()),
          ...shifts.map((s) => anchor + s * 15 * MINUTE),
        ];
        for (const start of starts) {
          const check = checkHostSlot(query, new Date(start));
          const hosts = hostsByStart.get(start);
          expect([new Date(start).toISOString(), check.available ? check.hostIds : check.reason]).toEqual([
            new Date(start).toISOString(),
            hosts ?? expect.any(String),
          ]);
        }
      }),
      runs,
    );
  });
});
