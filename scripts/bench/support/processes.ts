import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The repository root: children run from here, as `npm start` does. */
export const ROOT = path.resolve(__dirname, '../../..');

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last lines the child wrote to stderr, for an error message when it fails. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL when it has not exited in `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node <args>` from the repository root with `env` on top of this process's. */
export function startNode(args: string[], env: Record<string, string>): Child {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  return {
    process: child,
    pid: child.pid ?? -1,
    stderrTail: () => tail,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; fails early when the child exits first. */
export async function waitUntilAnswers(url: string, child: Child, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.process.exitCode !== null) {
      throw new Error(
        `child exited (${child.process.exitCode}) before ${url} answered: ${child.stderrTail()}`,
      );
    }
    try {
      const answer = await fetch(url);
      await answer.arrayBuffer();
      if (answer.status === 200) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms: ${child.stderrTail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resident set size of a process, from /proc/<pid>/status (VmRSS), in MB. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** Samples `rssMb(pid)` every `everyMs` until stopped; returns the highest seen. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // The process is gone; keep what was seen.
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` from the repository root to its end (a one-off script), capturing its output. */
export function runNodeToEnd(args: string[], env: Record<string, string>): Promise<Finished> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** This process's environment with `env` on top. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  // The bench runs under tsx; a child decides for itself how to load TypeScript.
  delete inherited.NODE_OPTIONS;
  delete inherited.NODE_ENV;
  return { ...inherited, ...env };
}

/** Polls until `check` answers true (set-up and drains), or fails after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
