import type { Knex } from 'knex';
import { createKnex } from '../../../src/db/knex';
import { startEmulatorProcess, type EmulatorProcess } from './emulator';
import { startBenchDatabase, type BenchDatabase } from './postgres';
import { startServiceProcess, type ServiceProcess } from './service';

export interface BenchStack {
  database: BenchDatabase;
  emulator: EmulatorProcess;
  service: ServiceProcess;
  /** The bench's own connections, for seeding and for reading results (not what is measured). */
  knex: Knex;
  stop(): Promise<void>;
}

/**
 * What most cases measure against, each in its own process: a bench PostgreSQL, the Google
 * emulator as production starts it, and the service as production starts it on them, with
 * `env` on top of the bench's defaults (no logging, public rate limits out of the way: every
 * request of a bench comes from one address). BENCH_PROFILE_DIR=<dir>: the service runs with
 * `--cpu-prof` and writes its profile there when it stops.
 */
export async function startStack(env: Record<string, string> = {}): Promise<BenchStack> {
  const stack: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stack.length > 0) await stack.pop()?.();
  };
  try {
    const database = await startBenchDatabase();
    stack.push(() => database.stop());
    const emulator = await startEmulatorProcess();
    stack.push(() => emulator.stop());
    const profileDir = process.env.BENCH_PROFILE_DIR;
    const service = await startServiceProcess({
      ...(profileDir ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
      databaseUrl: database.url,
      emulatorUrl: emulator.url,
      env: {
        LOG_LEVEL: 'silent',
        BOOKING_RATE_LIMIT_PER_ADDRESS: '100000000',
        BOOKING_RATE_LIMIT_PER_LINK: '100000000',
        ...env,
      },
    });
    stack.push(() => service.stop());
    const knex = createKnex(database.url, 4);
    stack.push(() => knex.destroy());
    return { database, emulator, service, knex, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
