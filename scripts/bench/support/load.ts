import http from 'node:http';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Clients sending at once, each waiting for its answer before the next request. */
  concurrency: number;
  /** Requests in all (request numbers 0…total-1 are handed out in order). */
  total?: number;
  /** Or: keep sending until this many milliseconds have passed. */
  durationMs?: number;
  /** Or: keep sending until this says stop (checked before each request). */
  stopWhen?: () => boolean;
  /** The request with this number. */
  request: (index: number) => LoadRequest;
  /** Whether an answer counts as a success; default 2xx. */
  ok?: (status: number) => boolean;
}

export interface LoadResult {
  requests: number;
  succeeded: number;
  /** Answers by status code, for the table when some failed. */
  statuses: Record<number, number>;
  seconds: number;
  /** Successful answers per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A small HTTP load generator: `concurrency` clients over keep-alive connections (one each),
 * latency of every request, successes per second over the whole run.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const isOk = options.ok ?? ((status: number) => status >= 200 && status < 300);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  let succeeded = 0;
  const started = performance.now();
  const deadline = options.durationMs !== undefined ? started + options.durationMs : Infinity;
  const total = options.total ?? Infinity;

  const client = async () => {
    while (next < total && performance.now() < deadline && !options.stopWhen?.()) {
      const index = next;
      next += 1;
      const spec = options.request(index);
      const before = performance.now();
      const status = await send(agent, target, spec);
      latencies.push(performance.now() - before);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (isOk(status)) succeeded += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    succeeded,
    statuses,
    seconds,
    rps: succeeded / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** The q-quantile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

function send(agent: http.Agent, target: URL, spec: LoadRequest): Promise<number> {
  return new Promise((resolve) => {
    const body = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: spec.method,
        path: spec.path,
        headers: {
          ...spec.headers,
          ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    // A connection error counts as status 0: the run goes on and the table shows it.
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

/** A one-line account of a load run's answers, e.g. "201×1500" or "201×1490, 409×10". */
export function statusSummary(result: LoadResult): string {
  return Object.entries(result.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(', ');
}
