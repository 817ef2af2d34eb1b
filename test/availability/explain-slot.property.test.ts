import fc from 'fast-check';
import { computeSlots, explainSlot, type ExplainQuery } from '../../src/availability';
import { slotQuery } from './slot-arbitraries';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The slot properties' random studies, with busy time split at random between calendar
 * events (some titled) and other interviews, and no from/to (the explanation is about the
 * study's own rules).
 */
const explainQuery: fc.Arbitrary<ExplainQuery> = slotQuery.chain(({ busy, from: _from, to: _to, ...rules }) =>
  fc
    .array(fc.tuple(fc.boolean(), fc.option(fc.string({ maxLength: 12 }))), {
      minLength: busy.length,
      maxLength: busy.length,
    })
    .map((split) => ({
      ...rules,
      calendarBusy: busy
        .filter((_, index) => split[index]![0])
        .map((interval, index) => ({ ...interval, title: split[index]![1] })),
      bookings: busy.filter((_, index) => !split[index]![0]),
    })),
);

/**
 * Starts worth asking about: every offered one, every start the hours would give without busy
 * time, notice or limits (so the ones those rules remove), their neighbours a minute off
 * the grid, and instants anywhere near.
 */
function candidates(query: ExplainQuery): fc.Arbitrary<Date[]> {
  const relaxed = computeSlots({
    ...query,
    busy: [],
    minNoticeMinutes: 0,
    now: new Date(query.now.getTime() - 2 * DAY),
    dailyLimit: undefined,
    window: { horizonDays: 12 },
  }).map((slot) => slot.start.getTime());
  const offered = computeSlots({ ...query, busy: [...query.calendarBusy, ...query.bookings] }).map((slot) =>
    slot.start.getTime(),
  );
  const sample = (values: number[], most: number) =>
    fc.shuffledSubarray(values, { maxLength: Math.min(most, values.length) });
  const now = query.now.getTime();
  // A sample keeps each run quick: explaining costs one plan per start.
  return fc
    .tuple(
      sample(offered, 15),
      sample(relaxed, 25),
      fc.array(fc.integer({ min: now - DAY, max: now + 10 * DAY }), { maxLength: 10 }),
    )
    .map(([fromOffered, fromRelaxed, random]) =>
      [
        ...fromOffered,
        ...fromRelaxed,
        ...[...fromOffered.slice(0, 5), ...fromRelaxed.slice(0, 5)].flatMap((start) => [
          start - MINUTE,
          start + 5 * MINUTE,
        ]),
        ...random,
      ].map((ms) => new Date(ms)),
    );
}

describe('Explaining a start agrees with the slot list', () => {
  test('When any start is explained, then it has no reasons exactly when the slot list offers it', () => {
    fc.assert(
      fc.property(
        explainQuery.chain((query) => fc.tuple(fc.constant(query), candidates(query))),
        ([query, starts]) => {
          const offered = new Set(
            computeSlots({ ...query, busy: [...query.calendarBusy, ...query.bookings] }).map((slot) =>
              slot.start.getTime(),
            ),
          );
          for (const start of starts) {
            const { reasons } = explainSlot(query, start);
            expect({ start: start.toISOString(), offered: reasons.length === 0, reasons }).toEqual({
              start: start.toISOString(),
              offered: offered.has(start.getTime()),
              reasons: offered.has(start.getTime()) ? [] : expect.anything(),
            });
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  test('When a start is explained, then every reason has a message and the end is start + duration', () => {
    fc.assert(
      fc.property(
        explainQuery.chain((query) => fc.tuple(fc.constant(query), candidates(query))),
        ([query, starts]) => {
          for (const start of starts) {
            const explanation = explainSlot(query, start);
            expect(explanation.end.getTime() - explanation.start.getTime()).toBe(
              query.durationMinutes * MINUTE,
            );
            for (const reason of explanation.reasons) expect(reason.message.length).toBeGreaterThan(10);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
