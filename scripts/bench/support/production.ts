import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

/**
 * The node arguments of a package.json script such as `start:prod`
 * (`exec node --enable-source-maps dist/src/main.js` → `['--enable-source-maps',
 * 'dist/src/main.js']`), so the bench starts a process exactly as production does, flags
 * included, without repeating them here.
 */
export function productionNodeArgs(script: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const command = manifest.scripts?.[script];
  if (!command) throw new Error(`package.json has no "${script}" script`);
  const words = command.trim().split(/\s+/);
  if (words[0] === 'exec') words.shift();
  // Only a plain `node <flags> <file>` can be replayed word by word; anything else must fail here.
  if (words[0] !== 'node' || words.length < 2 || /["'`$&|;<>\\]/.test(command)) {
    throw new Error(`package.json "${script}" is not a plain "node <flags> <file>" command: ${command}`);
  }
  return words.slice(1);
}

let built = false;

/** `npm run build`, once per bench process; throws with the compiler's output when it fails. */
export function buildProduction(): void {
  if (built) return;
  const started = performance.now();
  process.stderr.write('npm run build …\n');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    // tsc writes what it could despite errors: no half-built dist/ may pass for a fresh one later.
    fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().slice(-4000);
    throw new Error(
      `npm run build failed (${result.error?.message ?? `exit ${result.status}`}); the bench measures the compiled service:\n${output}`,
    );
  }
  process.stderr.write(`npm run build done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  built = true;
}

/**
 * Before a production process starts: the runner has built already; a case run alone builds
 * when dist/ is missing or any source is newer than it (by modification time).
 */
export function ensureBuilt(): void {
  if (built) return;
  if (buildIsStale()) buildProduction();
  else built = true;
}

/** What `npm run build` compiles or copies (tsconfig.build.json's include, the asset copier). */
const SOURCES = ['src', 'migrations', 'scripts', 'tsconfig.json', 'tsconfig.build.json'];

function buildIsStale(): boolean {
  const marker = path.join(ROOT, 'dist', 'src', 'main.js');
  if (!fs.existsSync(marker)) return true;
  const builtAt = fs.statSync(marker).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > builtAt);
}

/** The newest modification time under `file` (scripts/: its own files only, not the bench). */
function newestMtime(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const topLevelOnly = path.relative(ROOT, file) === 'scripts';
  let newest = 0;
  for (const entry of fs.readdirSync(file, { withFileTypes: true })) {
    if (topLevelOnly && entry.isDirectory()) continue;
    newest = Math.max(newest, newestMtime(path.join(file, entry.name)));
  }
  return newest;
}
