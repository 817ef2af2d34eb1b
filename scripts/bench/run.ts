/**
 * `npm run bench`: speed of the parts that matter, each against a baseline measured in the
 * same run on the same machine (ratios, not absolute numbers, are what compare across runs).
 */
import { benchAvailability } from './availability';
import { printResults } from './measure';
import { benchService } from './service-bench';

async function main(): Promise<void> {
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
  printResults('Availability (pure, in process)', benchAvailability());
  printResults('Service over HTTP (embedded PostgreSQL, Google emulator)', await benchService());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
