import fc from 'fast-check';
import {
  computeHostSlots,
  explainHostSlot,
  explainSlot,
  hostSlotQueryOfExplain,
  type HostExplainQuery,
  type HostSlotQuery,
} from '../../src/availability';
import { hostSlotQuery } from './host-arbitraries';
import { slotQuery } from './slot-arbitraries';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The multi-host properties' random studies, each host's busy time split between calendar events and interviews. */
const explainQuery: fc.Arbitrary<HostExplainQuery> = hostSlotQuery.map(
  ({ from: _from, to: _to, hosts, ...rules }: HostSlotQuery) => ({
    ...rules,
    hosts: hosts.map(({ busy, ...host }) => ({
      ...host,
      calendarBusy: busy
        .filter((_, index) => index % 2 === 0)
        .map((interval, index) => ({
          ...interval,
          title: index % 3 === 0 ? null : `Event ${index}`,
        })),
      bookings: busy.filter((_, index) => index % 2 === 1),
    })),
  }),
);

/** Offered starts, each host's own starts (offered or not), their neighbours and instants near. */
function candidates(query: HostExplainQuery): fc.Arbitrary<number[]> {
  const slotQuery = hostSlotQueryOfExplain(query);
  const offered = computeHostSlots(slotQuery).slots.map((slot) => slot.start.getTime());
  const ownStarts = query.hosts.flatMap((_, index) =>
    computeHostSlots({
      ...slotQuery,
      schedulingType: 'one_on_one',
      hosts: [{ ...slotQuery.hosts[index]!, busy: [], studyBookingStarts: [], connection: undefined }],
    }).slots.map((slot) => slot.start.getTime()),
  );
  const sample = (values: number[], most: number) =>
    fc.shuffledSubarray(values, { maxLength: Math.min(most, values.length) });
  const now = query.now.getTime();
  return fc
    .tuple(
      sample(offered, 10),
      sample(ownStarts, 20),
      fc.array(fc.integer({ min: now - DAY, max: now + 9 * DAY }), { maxLength: 6 }),
    )
    .map(([a, b, random]) => [...a, ...b, ...b.slice(0, 4).map((start) => start + 15 * MINUTE), ...random]);
}

describe('Explaining a start for several hosts agrees with the slot list', () => {
  test("When any start is explained, then it has no reasons exactly when the slot list offers it, and its free hosts are the slot's hosts", () => {
    fc.assert(
      fc.property(
        explainQuery.chain((query) => fc.tuple(fc.constant(query), candidates(query))),
        ([query, starts]) => {
          const { hostsByStart } = computeHostSlots(hostSlotQueryOfExplain(query));
          for (const start of starts) {
            const explanation = explainHostSlot(query, new Date(start));
            const hosts = hostsByStart.get(start);
            expect({
              start: new Date(start).toISOString(),
              offered: explanation.reasons.length === 0,
            }).toEqual({
              start: new Date(start).toISOString(),
              offered: hosts !== undefined,
            });
            if (hosts) {
              expect(explanation.hosts.filter((host) => host.free).map((host) => host.hostId)).toEqual(hosts);
            }
            for (const reason of explanation.reasons) expect(reason.message.length).toBeGreaterThan(10);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test("When a one-on-one host keeps the study's schedule, then the reasons are explainSlot's, word for word", () => {
    fc.assert(
      fc.property(
        slotQuery,
        fc.array(fc.integer({ min: -DAY / MINUTE, max: (9 * DAY) / MINUTE }), {
          minLength: 1,
          maxLength: 12,
        }),
        ({ busy, from: _from, to: _to, studyBookingStarts, ...rules }, minutes) => {
          const calendarBusy = busy
            .filter((_, index) => index % 2 === 0)
            .map((b) => ({ ...b, title: 'Busy' }));
          const bookings = busy.filter((_, index) => index % 2 === 1);
          for (const minute of minutes) {
            const start = new Date(rules.now.getTime() + minute * MINUTE);
            const single = explainSlot({ ...rules, studyBookingStarts, calendarBusy, bookings }, start);
            const multi = explainHostSlot(
              {
                ...rules,
                schedulingType: 'one_on_one',
                hosts: [{ hostId: 'ada', name: 'Ada', studyBookingStarts, calendarBusy, bookings }],
              },
              start,
            );
            expect(multi.reasons).toEqual(single.reasons);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
