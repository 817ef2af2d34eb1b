/**
 * A closed-loop HTTP load generator in a worker thread, so the requests are not sent from the
 * event loop of the service they measure (the service runs in this process for now). The
 * worker is plain JavaScript: it needs no transpiler.
 */
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Responses per second (all statuses). */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

const WORKER_SOURCE = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { origin, requests, concurrency } = workerData;
const url = new URL(origin);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = new Float64Array(requests.length);
const statuses = {};
let next = 0;
function send(request) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve([res.statusCode, Number(process.hrtime.bigint() - started) / 1e6]));
      },
    );
    req.on('error', () => resolve(['error', Number(process.hrtime.bigint() - started) / 1e6]));
    req.end();
  });
}
async function client() {
  for (;;) {
    const index = next++;
    if (index >= requests.length) return;
    const [status, ms] = await send(requests[index]);
    latencies[index] = ms;
    statuses[status] = (statuses[status] || 0) + 1;
  }
}
(async () => {
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  parentPort.postMessage({ requests: requests.length, seconds, rps: requests.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), statuses });
})();
`;

/** Sends every request once, `concurrency` at a time, each client waiting for its answer. */
export function runLoad(origin: string, requests: LoadRequest[], concurrency: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { origin, requests, concurrency } });
    worker.once('message', (result: LoadResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
