import { freePort } from '../../../src/net/free-port';
import { runLoad, type LoadRequest, type LoadResult } from './load';
import { startNode, waitUntilAnswers } from './processes';

/**
 * The bare Express + pg endpoint (one INSERT per request) in its own process, loaded like
 * the booking API: what this machine and database allow at most, measured in the same run.
 */
export function measureBaselineInsert(
  databaseUrl: string,
  concurrency: number,
  total: number,
): Promise<LoadResult> {
  return measureBaseline(
    { DATABASE_URL: databaseUrl },
    concurrency,
    Math.min(500, total),
    total,
    (index) => ({
      method: 'POST',
      path: '/insert',
      body: { name: `n${index}` },
    }),
  );
}

/**
 * A bare Express handler answering 200 in its own process, loaded like the webhook: what one
 * Express process on this machine acknowledges at most, measured in the same run.
 */
export function measureBaselineHello(
  concurrency: number,
  warmUp: number,
  total: number,
): Promise<LoadResult> {
  return measureBaseline({}, concurrency, warmUp, total, () => ({ method: 'POST', path: '/hello' }));
}

async function measureBaseline(
  env: Record<string, string>,
  concurrency: number,
  warmUp: number,
  total: number,
  request: (index: number) => LoadRequest,
): Promise<LoadResult> {
  const port = await freePort();
  const child = startNode(['--import', 'tsx', 'scripts/bench/support/baseline-server.ts'], {
    PORT: String(port),
    ...env,
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswers(`${url}/ready`, child);
    await runLoad({ url, concurrency, total: warmUp, request });
    return await runLoad({ url, concurrency, total, request });
  } finally {
    await child.stop();
  }
}
