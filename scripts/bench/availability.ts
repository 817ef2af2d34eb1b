/**
 * Slots for a busy researcher: the study's availability over its horizon minus thousands of
 * busy intervals. `computeSlots` sweeps sorted intervals once; the baseline is the obvious
 * approach the issue warns against (every candidate slot checked against every busy
 * interval), measured in the same run on the same input.
 */
import { computeSlots, type SlotQuery } from '../../src/availability';
import { measure, type BenchResult } from './measure';

function query(busyCount: number, now: Date): SlotQuery {
  const busy = Array.from({ length: busyCount }, (_, index) => {
    const start = now.getTime() + ((index * 7_919) % (90 * 1440)) * 60_000;
    return { start: new Date(start), end: new Date(start + 45 * 60_000) };
  });
  const windows = Array.from({ length: 12 }, (_, index) => ({
    start: `${String(6 + index).padStart(2, '0')}:00`,
    end: `${String(6 + index).padStart(2, '0')}:50`,
  }));
  return {
    timeZone: 'America/New_York',
    availability: {
      weekly: {
        mon: windows,
        tue: windows,
        wed: windows,
        thu: windows,
        fri: windows,
        sat: windows,
        sun: windows,
      },
    },
    durationMinutes: 30,
    slotStepMinutes: 5,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
    minNoticeMinutes: 0,
    window: { horizonDays: 90 },
    busy,
    now,
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

export function benchAvailability(): BenchResult[] {
  const now = new Date('2026-11-24T12:00:00Z');
  const results: BenchResult[] = [];
  for (const busyCount of [500, 5_000]) {
    const input = query(busyCount, now);
    const expected = naiveSlots(input).length;
    const got = computeSlots(input).length;
    if (got !== expected) throw new Error(`sweep and naive disagree: ${got} vs ${expected}`);
    const sweep = measure(`computeSlots, 90 days × 12 windows, ${busyCount} busy`, () => computeSlots(input));
    const baseline = measure(`baseline: candidates × busy, ${busyCount} busy`, () => naiveSlots(input));
    results.push({ ...sweep, baselineMs: baseline.medianMs }, baseline);
  }
  return results;
}
