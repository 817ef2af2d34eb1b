import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/net/free-port';

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist');

/**
 * `npm run build`, then the compiled JavaScript run as production runs it: plain `node`,
 * no tsx loader anywhere (NODE_OPTIONS cleared too), so a `.ts` path, a source-relative
 * read or a file tsc does not copy (the pages' assets) would fail here.
 */
describe('The production build (npm run build, node dist/…)', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scheduler-build-'));
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }, 180_000);
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function plainNodeEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.NODE_OPTIONS;
    return { ...env, NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extra };
  }

  function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, [path.join(dist, script), ...args], { cwd: root, env });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => output, exited };
  }

  test('When the compiled migrate script runs on a new DATA_DIR, then it applies every migration and exits 0', async () => {
    const migrate = run('scripts/migrate.js', ['latest'], plainNodeEnv({}));
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toContain('Applied: 20261124000100_initial_schema');
  }, 60_000);

  test('When dist/src/main.js runs, then it gets ready, serves the console stylesheet and the API document, and SIGTERM stops it with 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = run('src/main.js', [], plainNodeEnv({ PORT: String(port), EMULATOR_PORT: '0' }));
    const deadline = Date.now() + 45_000;
    let ready = false;
    while (!ready && service.child.exitCode === null && Date.now() < deadline) {
      ready = (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200;
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect({ ready, output: ready ? '' : service.output() }).toEqual({ ready: true, output: '' });

    const stylesheet = await fetch(`${url}/assets/console.css`);
    expect(stylesheet.status).toBe(200);
    expect(stylesheet.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await stylesheet.text()).toBe(
      fs.readFileSync(path.join(root, 'src/web/assets/console.css'), 'utf8'),
    );
    const openapi = await fetch(`${url}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\./);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    // The migrate script before it had done the work: the compiled list is the same list.
    expect(service.output()).not.toContain('migrations applied');
  }, 60_000);

  test('When the compiled emulator runs alone, then it answers and SIGTERM stops it with 0', async () => {
    const emulator = run(
      'src/emulator/main.js',
      [],
      plainNodeEnv({ EMULATOR_PORT: '0', EMULATOR_STATE_FILE: path.join(dataDir, 'emulator-alone.json') }),
    );
    const deadline = Date.now() + 20_000;
    let base: string | undefined;
    while (!base && emulator.child.exitCode === null && Date.now() < deadline) {
      base = /Google emulator on (http:\/\/127\.0\.0\.1:\d+)/.exec(emulator.output())?.[1];
      if (!base) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(base).toBeDefined();
    expect((await fetch(`${base}/oauth2/v1/certs`)).status).toBe(200);
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
    // Closing writes the state file, signing key included.
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'emulator-alone.json'), 'utf8'))).toMatchObject({
      version: 1,
    });
  }, 30_000);
});
