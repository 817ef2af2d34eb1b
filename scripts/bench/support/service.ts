import fs from 'node:fs';
import { freePort } from '../../../src/net/free-port';
import { temporaryDataDir } from './postgres';
import { startNode, waitUntilAnswers, type Child } from './processes';
import { ensureBuilt, productionNodeArgs } from './production';

/**
 * How production starts the service: `npm run start:prod`'s node arguments (its flags and the
 * compiled `dist/` entry point), read from package.json.
 */
export const SERVICE_COMMAND: readonly string[] = productionNodeArgs('start:prod');

export interface ServiceProcess {
  url: string;
  child: Child;
  /** Its DATA_DIR (development secrets): a production script run beside it uses the same. */
  dataDir: string;
  /** Milliseconds from spawning the process to `/readyz` answering 200. */
  readyMs: number;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** PostgreSQL to use; absent = the embedded one under a new DATA_DIR, as `npm start`. */
  databaseUrl?: string;
  /** A Google emulator in its own process; absent = the service starts one in-process. */
  emulatorUrl?: string;
  /** More environment (rate limits, log level…). */
  env?: Record<string, string>;
  /** Node flags before the command, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/**
 * The service as a child process, the way production runs it, on a free port and a DATA_DIR
 * of its own (development secrets, embedded database when no DATABASE_URL), waited for
 * until `/readyz` answers 200.
 */
export async function startServiceProcess(options: ServiceOptions = {}): Promise<ServiceProcess> {
  ensureBuilt();
  const port = await freePort();
  const dataDir = temporaryDataDir('scheduler-bench-service-');
  const url = `http://127.0.0.1:${port}`;
  const child = startNode([...(options.nodeFlags ?? []), ...SERVICE_COMMAND], {
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dataDir,
    EMULATOR_PORT: options.emulatorUrl ? '0' : String(await freePort()),
    EMULATOR_AUTO_APPROVE: '1',
    NIGHTLY_CRON: 'off',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.emulatorUrl ? { GOOGLE_EMULATOR_URL: options.emulatorUrl } : {}),
    ...options.env,
  });
  try {
    const readyMs = await waitUntilAnswers(`${url}/readyz`, child);
    return {
      url,
      child,
      dataDir,
      readyMs,
      async stop() {
        await child.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await child.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
