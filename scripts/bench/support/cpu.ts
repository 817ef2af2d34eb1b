import fs from 'node:fs';

/** Linux counts process CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;

/** User + system CPU time a process has used so far, in ms (0 once it is gone). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields counted from after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The parent process id of `pid` (0 once it is gone). */
function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/**
 * The bench's own PostgreSQL processes: the embedded postmasters this process started and
 * their backends. Another PostgreSQL on the machine (a test database other work uses) is not
 * part of what a case measures.
 */
export function postgresPids(): number[] {
  const postgres = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
  const ours = new Set(postgres.filter((pid) => parentOf(pid) === process.pid));
  return postgres.filter((pid) => ours.has(pid) || ours.has(parentOf(pid)));
}

export interface CpuMeter {
  /** CPU ms used since the meter started, per part. */
  stop(): Record<string, number>;
}

/**
 * CPU time spent by each part while something runs: named processes, all of PostgreSQL
 * (backends that start meanwhile count from 0) and this process itself.
 */
export function meterCpu(processes: Record<string, number>): CpuMeter {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMsOf(pid)]));
  const postgresBefore = new Map(postgresPids().map((pid) => [pid, cpuMsOf(pid)]));
  const selfBefore = process.cpuUsage();
  return {
    stop() {
      const used: Record<string, number> = {};
      for (const [name, pid] of Object.entries(processes)) used[name] = cpuMsOf(pid) - (before[name] ?? 0);
      used.postgres = postgresPids().reduce(
        (sum, pid) => sum + cpuMsOf(pid) - (postgresBefore.get(pid) ?? 0),
        0,
      );
      const self = process.cpuUsage(selfBefore);
      used.loadGenerator = (self.user + self.system) / 1000;
      return used;
    },
  };
}
