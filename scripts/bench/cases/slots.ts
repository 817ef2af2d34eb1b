/**
 * `slots`: the pure availability code for a busy researcher — a 90-day horizon, 12 windows a
 * day, 5,000 busy intervals of 10 minutes (55 a day, at seeded random times). `computeSlots` sweeps sorted intervals once; the baseline is
 * the obvious approach (every candidate slot checked against every busy interval), measured
 * in the same run on the same input, and must agree with it.
 */
import { computeSlots, type SlotQuery } from '../../../src/availability';
import { measure } from '../support/measure';
import { round, runAlone } from '../support/report';
import type { BenchCase } from './types';

function query(busyCount: number, now: Date): SlotQuery {
  const random = seededRandom(busyCount);
  const busy = Array.from({ length: busyCount }, () => {
    const start = now.getTime() + Math.floor(random() * 90 * 1440) * 60_000;
    return { start: new Date(start), end: new Date(start + 10 * 60_000) };
  });
  const windows = Array.from({ length: 12 }, (_, index) => ({
    start: `${String(6 + index).padStart(2, '0')}:00`,
    end: `${String(6 + index).padStart(2, '0')}:50`,
  }));
  const weekly = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, windows]),
  );
  return {
    timeZone: 'America/New_York',
    availability: { weekly },
    durationMinutes: 30,
    slotStepMinutes: 5,
    bufferBeforeMinutes: 5,
    bufferAfterMinutes: 5,
    minNoticeMinutes: 0,
    window: { horizonDays: 90 },
    busy,
    now,
  };
}

/** mulberry32: the same "random" calendar in every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The naive way: candidate slots without busy time, then each checked against all busy intervals. */
function naiveSlots(input: SlotQuery) {
  const candidates = computeSlots({ ...input, busy: [] });
  const before = input.bufferBeforeMinutes * 60_000;
  const after = input.bufferAfterMinutes * 60_000;
  return candidates.filter((slot) =>
    input.busy.every(
      (busy) =>
        busy.end.getTime() <= slot.start.getTime() - before ||
        busy.start.getTime() >= slot.end.getTime() + after,
    ),
  );
}

export async function run(): Promise<BenchCase> {
  const now = new Date('2026-11-24T12:00:00Z');
  const input = query(5_000, now);
  const expected = naiveSlots(input).length;
  const got = computeSlots(input).length;
  if (got !== expected) throw new Error(`sweep and naive disagree: ${got} vs ${expected}`);
  const sweep = measure(() => computeSlots(input));
  const naive = measure(() => naiveSlots(input), 10, 1_500);
  const fewer = query(500, now);
  const small = measure(() => computeSlots(fewer));
  return {
    title: 'Slots: pure availability, 90 days × 12 windows a day, 5,000 busy intervals',
    rows: [
      { label: 'computeSlots p50', value: `${sweep.p50Ms.toFixed(2)} ms`, goal: '≤ 5 ms' },
      { label: 'computeSlots p99', value: `${sweep.p99Ms.toFixed(2)} ms` },
      { label: 'slots offered', value: String(got) },
      { label: 'baseline (candidates × busy) p50', value: `${naive.p50Ms.toFixed(2)} ms` },
      { label: 'sweep vs baseline', value: `${(naive.p50Ms / sweep.p50Ms).toFixed(1)}× faster` },
      { label: 'computeSlots p50, 500 busy', value: `${small.p50Ms.toFixed(2)} ms` },
    ],
    keys: { slots_p50_ms: round(sweep.p50Ms), slots_p99_ms: round(sweep.p99Ms) },
  };
}

if (require.main === module) runAlone(run);
