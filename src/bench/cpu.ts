import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  /** CPU ms of this process so far, every thread (user + system). */
  readonly selfMs: number;
  /** CPU ms of its children that have exited and been waited for; null where /proc is not available. */
  readonly childrenMs: number | null;
}

/** CPU time of the children waited for so far (proc(5): fields 16 cutime and 17 cstime), in ms. */
function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? ((cutime + cstime) * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const { user, system } = process.cpuUsage();
  return { selfMs: (user + system) / 1000, childrenMs: childrenCpuMs() };
}

/** CPU used between two snapshots. */
export function cpuSince(before: CpuSnapshot, after: CpuSnapshot = cpuSnapshot()): CpuSnapshot {
  return {
    selfMs: after.selfMs - before.selfMs,
    childrenMs: before.childrenMs === null || after.childrenMs === null ? null : after.childrenMs - before.childrenMs,
  };
}
