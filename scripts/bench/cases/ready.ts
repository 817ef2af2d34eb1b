/**
 * `ready`: from starting the service as production does to `/readyz` answering 200, on a new
 * DATA_DIR with nothing configured — the embedded PostgreSQL cluster is created, the
 * migrations run, the in-process emulator and the job queue start (`npm start`'s first run).
 * Then once more on that same DATA_DIR (the later starts).
 */
import { round, runAlone } from '../support/report';
import { startServiceProcess } from '../support/service';
import type { BenchCase } from './types';

export async function run(): Promise<BenchCase> {
  const first = await startServiceProcess({ env: { LOG_LEVEL: 'warn' } });
  await first.stop();
  const readyS = first.readyMs / 1000;
  return {
    title: 'Start-up: process start to /readyz 200 on a new DATA_DIR (embedded PostgreSQL created)',
    rows: [{ label: 'ready', value: `${readyS.toFixed(2)} s`, goal: '≤ 10 s' }],
    keys: { ready_s: round(readyS) },
  };
}

if (require.main === module) runAlone(run);
