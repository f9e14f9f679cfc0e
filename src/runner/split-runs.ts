/** One search worker's share: its own seed and number of runs. */
export interface WorkerShare {
  readonly index: number;
  readonly seed: number;
  readonly runs: number;
}

/**
 * Splits `runs` over `workers` independent fast-check searches. Worker i
 * uses seed `seed + i` (32-bit wrap), so the same seed and worker count give
 * the same schedules.
 */
export function splitRuns(runs: number, workers: number, seed: number): WorkerShare[] {
  const count = Math.max(1, Math.min(workers, runs));
  const base = Math.floor(runs / count);
  return Array.from({ length: count }, (_, index) => ({
    index,
    seed: (seed + index) | 0,
    runs: base + (index < runs % count ? 1 : 0),
  }));
}
