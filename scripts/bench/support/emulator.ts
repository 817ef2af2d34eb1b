import { freePort } from '../../../src/net/free-port';
import { startNode, waitUntilAnswers, type Child } from './processes';
import { ensureBuilt, productionNodeArgs } from './production';

export interface EmulatorProcess {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/**
 * The Google emulator in its own process, started as `npm run emulator:prod` starts it (its
 * node arguments read from package.json), as Google is to the service: its work does not run
 * on the service's event loop. State in memory, consent without a click for a login_hint, no
 * injected latency.
 */
export async function startEmulatorProcess(nodeFlags: string[] = []): Promise<EmulatorProcess> {
  ensureBuilt();
  const port = await freePort();
  const child = startNode([...nodeFlags, ...productionNodeArgs('emulator:prod')], {
    EMULATOR_PORT: String(port),
    EMULATOR_AUTO_APPROVE: '1',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswers(`${url}/_emulator/state`, child);
  return { url, child, stop: () => child.stop() };
}
