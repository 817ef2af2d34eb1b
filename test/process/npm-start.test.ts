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
    for (const child of children) {
      // npm start runs in a process group of its own: take what is left of the group down.
      if (child.spawnargs[0] === 'npm') {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // the group is gone already
        }
      } else if (child.exitCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function runUntilReady(): Promise<{ started: Started; url: string }> {
    const port = await freePort();
    const started = start({ DATA_DIR: dataDir, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => {
      const response = await fetch(`${url}/readyz`).catch(() => undefined);
      return response?.status === 200;
    }, 45_000);
    return { started, url };
  }

  test('When started with no configuration, then it is ready on an embedded database, prints its URLs and stops cleanly on SIGTERM', async () => {
    const { started, url } = await runUntilReady();
    const printed = started.output();
    expect(printed).toMatch(/Interview scheduler is running\.\n {2}Console: +http:\/\/localhost:\d+\/ /);
    expect(printed).toContain(`Service:      ${url}`);
    expect(started.output()).toContain('migrations applied');
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }, 100_000);

  test('When started again on the same DATA_DIR, then it reuses the data (no migration to apply)', async () => {
    const { started } = await runUntilReady();
    expect(started.output()).not.toContain('migrations applied');
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }, 100_000);

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
  }, 100_000);

  /** Every live descendant of `pid` (npm → sh? → node → postgres → its workers). */
  function processTree(pid: number): number[] {
    const parents = new Map<number, number>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      } catch {
        // exited while we looked
      }
    }
    const tree = [pid];
    for (let index = 0; index < tree.length; index += 1) {
      for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
    }
    return tree;
  }
  const alive = (pids: number[]) =>
    pids.filter((pid) => {
      try {
        // A zombie still answers kill(0); it has exited, only its parent has not looked yet.
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    });
  const commandOf = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');

  /** `npm start` as a supervisor or a terminal runs it: its own process group, npm's PID known. */
  async function npmStartUntilReady() {
    const port = await freePort();
    const clean = { ...process.env };
    delete clean.DATABASE_URL;
    const child = spawn('npm', ['start'], {
      cwd: root,
      detached: true,
      env: { ...clean, LOG_LEVEL: 'info', EMULATOR_PORT: '0', DATA_DIR: dataDir, PORT: String(port) },
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const url = `http://127.0.0.1:${port}`;
    // Generous: a correctness bound on a machine that may be busy, not a start-up benchmark.
    await waitFor(async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 60_000);
    const tree = processTree(child.pid!);
    const node = tree.find(
      (pid) => commandOf(pid).includes('src/main.ts') && commandOf(pid).startsWith('node'),
    );
    expect(node).toBeDefined();
    expect(tree.some((pid) => commandOf(pid).includes('postgres'))).toBe(true);
    return { child, tree, node: node!, url, output: () => output };
  }

  /** Within the bound every process of the tree is gone, the port is closed, and it said so. */
  async function expectAllStopped(started: Awaited<ReturnType<typeof npmStartUntilReady>>) {
    await waitFor(() => alive(started.tree).length === 0, 20_000).catch(() => {
      throw new Error(`still running: ${alive(started.tree).map(commandOf).join('; ')}`);
    });
    expect(await fetch(`${started.url}/readyz`).catch(() => 'refused')).toBe('refused');
    expect(started.output()).toContain('"msg":"service stopped"');
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }

  test('When `npm start` itself gets SIGTERM (as a supervisor sends it), then the service and its database stop cleanly', async () => {
    const started = await npmStartUntilReady();
    process.kill(started.child.pid!, 'SIGTERM');
    await expectAllStopped(started);
  }, 100_000);

  test('When the node process of `npm start` gets SIGTERM, then everything stops cleanly', async () => {
    const started = await npmStartUntilReady();
    process.kill(started.node, 'SIGTERM');
    await expectAllStopped(started);
  }, 100_000);

  test('When Ctrl-C signals the whole process group, then everything stops cleanly once', async () => {
    const started = await npmStartUntilReady();
    process.kill(-started.child.pid!, 'SIGINT');
    await expectAllStopped(started);
    expect(started.output()).not.toContain('second signal');
  }, 100_000);

  test('When `npm start` is killed without a chance to pass a signal on, then the service notices and stops cleanly', async () => {
    const started = await npmStartUntilReady();
    process.kill(started.child.pid!, 'SIGKILL');
    await expectAllStopped(started);
  }, 100_000);

  test('When PORT is not a number, then one clear line and a non-zero exit', async () => {
    const started = start({ DATA_DIR: dataDir, PORT: 'abc' });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toEqual([
      'Configuration error: PORT must be a whole number between 0 and 65535 (got "abc")',
    ]);
  });
});
