/**
 * Part of `npm run build`: tsc compiles only TypeScript, but the pages serve files read from
 * an `assets` folder next to their module (`path.join(__dirname, 'assets')`). Each such
 * folder under src/ is copied to the same place under dist/src/, so the compiled code finds
 * them exactly as the sources do.
 */
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(import.meta.dirname, '..');

function assetFolders(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return [];
    const full = path.join(directory, entry.name);
    return entry.name === 'assets' ? [full] : assetFolders(full);
  });
}

for (const folder of assetFolders(path.join(root, 'src'))) {
  const target = path.join(root, 'dist', path.relative(root, folder));
  fs.cpSync(folder, target, { recursive: true });
  process.stdout.write(`copied ${path.relative(root, folder)} to ${path.relative(root, target)}\n`);
}
