import { percentile } from './load';

export interface Timing {
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

/** Warm up, then time `fn` repeatedly (at least `minRuns`, about `targetMs` in all). */
export function measure(fn: () => unknown, minRuns = 50, targetMs = 2_000): Timing {
  for (let warm = 0; warm < 5; warm += 1) fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < targetMs) {
    const before = performance.now();
    fn();
    times.push(performance.now() - before);
    if (times.length >= 5_000) break;
  }
  return summarise(times);
}

/** The same for an async `fn`, one call at a time, `runs` times after a warm-up. */
export async function measureAsync(fn: () => Promise<unknown>, runs: number): Promise<Timing> {
  for (let warm = 0; warm < 3; warm += 1) await fn();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const before = performance.now();
    await fn();
    times.push(performance.now() - before);
  }
  return summarise(times);
}

function summarise(times: number[]): Timing {
  times.sort((a, b) => a - b);
  return { runs: times.length, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}
