/**
 * `npm run bench [-- <case>...]`: `npm run build` once (production runs the compiled
 * service), then every registered case (or only the named ones), each one's human table,
 * then as the last line one JSON object with every case's keys. Each case starts what it
 * needs (embedded PostgreSQL, the emulator and the service as child processes, started as
 * `npm run emulator:prod` and `npm run start:prod` start them) and measures its baselines in
 * the same run.
 */
import os from 'node:os';
import { buildProduction } from './support/production';
import { printCase } from './support/report';
import type { BenchCase } from './cases/types';
import * as book from './cases/book';
import * as coalesce from './cases/coalesce';
import * as emails from './cases/emails';
import * as emulatorWrites from './cases/emulator-writes';
import * as finishJobs from './cases/finish-jobs';
import * as ready from './cases/ready';
import * as reconcile from './cases/reconcile';
import * as slots from './cases/slots';
import * as webhook from './cases/webhook';

const CASES: Record<string, { run(): Promise<BenchCase> }> = {
  slots,
  book,
  emails,
  'finish-jobs': finishJobs,
  webhook,
  coalesce,
  reconcile,
  ready,
  'emulator-writes': emulatorWrites,
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in CASES));
  if (unknown.length > 0) {
    throw new Error(`unknown case ${unknown.join(', ')}; the cases are ${Object.keys(CASES).join(', ')}`);
  }
  const names = asked.length > 0 ? asked : Object.keys(CASES);
  buildProduction();
  console.log(
    `Node ${process.version}, ${process.platform}/${process.arch}, ${os.cpus().length} cores, ` +
      `${(os.totalmem() / 1_073_741_824).toFixed(1)} GB memory; cases: ${names.join(', ')}`,
  );
  const keys: Record<string, number> = {};
  for (const name of names) {
    const result = await CASES[name]?.run();
    if (!result) continue;
    printCase(result);
    Object.assign(keys, result.keys);
  }
  console.log(JSON.stringify(keys));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
