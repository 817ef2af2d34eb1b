import { freePort } from '../../../src/net/free-port';
import { runLoad, type LoadResult } from './load';
import { startNode, waitUntilAnswers } from './processes';

/**
 * The bare Express + pg endpoint (one INSERT per request) in its own process, loaded like
 * the booking API: what this machine and database allow at most, measured in the same run.
 */
export async function measureBaselineInsert(
  databaseUrl: string,
  concurrency: number,
  total: number,
): Promise<LoadResult> {
  const port = await freePort();
  const child = startNode(['--import', 'tsx', 'scripts/bench/support/baseline-server.ts'], {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitUntilAnswers(`${url}/ready`, child);
    const request = (index: number) => ({
      method: 'POST' as const,
      path: '/insert',
      body: { name: `n${index}` },
    });
    await runLoad({ url, concurrency, total: Math.min(500, total), request });
    return await runLoad({ url, concurrency, total, request });
  } finally {
    await child.stop();
  }
}
