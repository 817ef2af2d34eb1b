import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/net/free-port';

const root = path.resolve(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];

function start(env: Record<string, string>): Started {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  // Node itself with tsx's loader (not the tsx wrapper, which would be a second process):
  // the pid we signal or SIGKILL is then the service's own.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...clean, LOG_LEVEL: 'info', EMULATOR_PORT: '0', ...env },
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('timed out');
}

function postgresProcessesUsing(dir: string): string[] {
  const listing = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout;
  return listing.split('\n').filter((line) => line.includes(dir) && line.includes('postgres'));
}

describe('npm start (src/main.ts)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-start-'));
  });
  afterAll(() => {
    // A failed assertion must not leave a service (and its database) running.
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function runUntilReady(): Promise<{ started: Started; url: string }> {
    const port = await freePort();
    const started = start({ DATA_DIR: dataDir, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => {
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      return response?.status === 200;
    }, 20_000);
    return { started, url };
  }

  test('When started with no configuration, then it is ready on an embedded database, prints its URLs and stops cleanly on SIGTERM', async () => {
    const { started, url } = await runUntilReady();
    expect(started.output()).toContain(`Service:      ${url}`);
    expect(started.output()).toContain('migrations applied');
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  });

  test('When started again on the same DATA_DIR, then it reuses the data (no migration to apply)', async () => {
    const { started } = await runUntilReady();
    expect(started.output()).not.toContain('migrations applied');
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  });

  test('When a previous run was killed hard, then the next start stops the orphaned database and starts', async () => {
    const first = await runUntilReady();
    // SIGKILL gives the service no chance to stop PostgreSQL: its postmaster is left behind.
    first.started.child.kill('SIGKILL');
    await first.started.exited;
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);

    const second = await runUntilReady();
    second.started.child.kill('SIGTERM');
    expect(await second.started.exited).toBe(0);
    await waitFor(() => postgresProcessesUsing(dataDir).length === 0, 5000);
  });

  test('When PORT is not a number, then one clear line and a non-zero exit', async () => {
    const started = start({ DATA_DIR: dataDir, PORT: 'abc' });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toEqual([
      'Configuration error: PORT must be a whole number between 0 and 65535 (got "abc")',
    ]);
  });
});
