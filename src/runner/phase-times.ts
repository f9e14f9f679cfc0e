/** Wall-clock and CPU time spent in one phase, summed over runs. */
export interface PhaseTime {
  wallMs: number;
  /** Process CPU (user + system, every thread). Attributable to the phase only when runs do not overlap (one search). */
  cpuMs: number;
}

/**
 * Where the time of client runs goes, summed over the runs measured: the
 * harness's phases (servers started and stopped, trace judged) and the
 * client's own. For `npm run bench`; a fuzz run without it measures nothing.
 */
export interface PhaseTimes {
  runs: number;
  readonly worldStart: PhaseTime;
  readonly client: PhaseTime;
  readonly worldClose: PhaseTime;
  readonly judge: PhaseTime;
}

export function emptyPhaseTimes(): PhaseTimes {
  const zero = (): PhaseTime => ({ wallMs: 0, cpuMs: 0 });
  return { runs: 0, worldStart: zero(), client: zero(), worldClose: zero(), judge: zero() };
}

/** Runs `work`, adding its wall and CPU time to `into` (nothing when `into` is undefined). */
export async function timed<T>(into: PhaseTime | undefined, work: () => Promise<T> | T): Promise<T> {
  if (into === undefined) return work();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await work();
  } finally {
    const used = process.cpuUsage(cpu);
    into.cpuMs += (used.user + used.system) / 1000;
    into.wallMs += performance.now() - wall;
  }
}
