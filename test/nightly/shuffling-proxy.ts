import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShufflingProxy {
  url: string;
  /** Every request forwarded, in order: to which target, what. */
  forwarded: { target: string; method: string; path: string }[];
  close(): Promise<void>;
}

/**
 * A load balancer in front of several service instances: each request goes to a random
 * instance, drawn without replacement in rounds of one per instance (per path), so among any
 * 2n − 1 consecutive requests to one path every one of n instances gets at least one. Bodies, headers and redirects pass through untouched.
 */
export async function startShufflingProxy(
  /** Read at each round, so instances may be added after the proxy started. */
  targets: readonly string[],
): Promise<ShufflingProxy> {
  const forwarded: ShufflingProxy['forwarded'] = [];
  // One round per path: Google's notifications are spread evenly whatever else is requested.
  const rounds = new Map<string, string[]>();
  const nextTarget = (path: string): string => {
    let round = rounds.get(path) ?? [];
    if (round.length === 0) round = shuffled(targets);
    rounds.set(path, round);
    const target = round.pop();
    if (!target) throw new Error('the proxy has no targets');
    return target;
  };
  const server = http.createServer((req, res) => {
    const target = new URL(nextTarget(new URL(req.url ?? '/', 'http://proxy').pathname));
    forwarded.push({ target: target.origin, method: req.method ?? '', path: req.url ?? '' });
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Fisher–Yates. */
function shuffled(items: readonly string[]): string[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as string, copy[index] as string];
  }
  return copy;
}
