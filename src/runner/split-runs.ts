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

/** Shard `index` (1-based) of `count`: one machine's part of a run split over a CI matrix. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * The searches of one shard: every `count`-th of the whole run's searches,
 * starting at `index - 1`. Together the shards run exactly the searches, and
 * so the schedules, of the unsharded run with the same runs, seed and
 * workers; the corpus, tried by search 0, runs in shard 1.
 */
export function shardShares(shares: readonly WorkerShare[], shard: Shard): WorkerShare[] {
  return shares.filter((share) => share.index % shard.count === shard.index - 1);
}

/**
 * The searches one `fuzz` call runs: the run's searches, then this shard's,
 * then this thread's.
 */
export function searchesOf(options: { readonly runs: number; readonly workers: number; readonly seed: number; readonly shard?: Shard; readonly thread?: Shard }): WorkerShare[] {
  const all = splitRuns(options.runs, options.workers, options.seed);
  const shard = options.shard ? shardShares(all, options.shard) : all;
  return options.thread ? threadShares(shard, options.thread) : shard;
}

/**
 * The searches of one thread of a process that runs its searches on
 * `thread.count` threads: every `count`-th of them by position. The threads
 * together run exactly the searches of one thread with the same runs, seed
 * and workers; the corpus (search 0) runs on thread 1.
 */
export function threadShares(shares: readonly WorkerShare[], thread: Shard): WorkerShare[] {
  return shares.filter((_, position) => position % thread.count === thread.index - 1);
}
