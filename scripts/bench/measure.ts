export interface BenchResult {
  name: string;
  runs: number;
  medianMs: number;
  p95Ms: number;
  /** The baseline's median measured in the same run, when this result has one. */
  baselineMs?: number;
}

/** Warm up, then time `fn` repeatedly (at least `minRuns`, about `targetMs` in all). */
export function measure(name: string, fn: () => unknown, minRuns = 15, targetMs = 1_500): BenchResult {
  for (let warm = 0; warm < 3; warm += 1) fn();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < targetMs) {
    const before = performance.now();
    fn();
    times.push(performance.now() - before);
    if (times.length >= 2_000) break;
  }
  return summarise(name, times);
}

export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  runs: number,
): Promise<BenchResult> {
  for (let warm = 0; warm < 3; warm += 1) await fn();
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const before = performance.now();
    await fn();
    times.push(performance.now() - before);
  }
  return summarise(name, times);
}

function summarise(name: string, times: number[]): BenchResult {
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  return { name, runs: times.length, medianMs: at(0.5), p95Ms: at(0.95) };
}

export function printResults(title: string, results: BenchResult[]): void {
  console.log(`\n${title}`);
  for (const result of results) {
    const ratio =
      result.baselineMs !== undefined
        ? `  ${(result.baselineMs / result.medianMs).toFixed(1)}× faster than its baseline`
        : '';
    console.log(
      `  ${result.name.padEnd(58)} median ${result.medianMs.toFixed(2).padStart(8)} ms  p95 ${result.p95Ms.toFixed(2).padStart(8)} ms  (${result.runs} runs)${ratio}`,
    );
  }
}
