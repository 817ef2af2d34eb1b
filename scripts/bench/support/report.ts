import type { BenchCase } from '../cases/types';

/** The human table of one case. */
export function printCase(result: BenchCase): void {
  console.log(`\n${result.title}`);
  const width = Math.max(20, ...result.rows.map((row) => row.label.length));
  const valueWidth = Math.max(8, ...result.rows.map((row) => row.value.length));
  for (const row of result.rows) {
    const goal = row.goal ? `   goal ${row.goal}` : '';
    console.log(`  ${row.label.padEnd(width)}  ${row.value.padStart(valueWidth)}${goal}`);
  }
}

/**
 * `npx tsx scripts/bench/cases/<name>.ts`: one case alone, its table, then its keys as the
 * last line (the same shape `npm run bench` prints for all of them). A case that starts a
 * production process builds first when dist/ is missing or older than the sources
 * (`ensureBuilt`, called where those processes start).
 */
export function runAlone(run: () => Promise<BenchCase>): void {
  run().then(
    (result) => {
      printCase(result);
      console.log(JSON.stringify(result.keys));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** A number rounded for the JSON line: milliseconds to 0.01, rates to 0.1. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
