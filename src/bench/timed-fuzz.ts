import { fuzz, type FuzzOptions } from '../runner/fuzz.ts';
import { fuzzOnThreads } from '../runner/threads/fuzz-on-threads.ts';
import type { Schedule } from '../schedule/types.ts';
import type { FuzzReport } from '../report/types.ts';
import { cpuSince, cpuSnapshot, type CpuSnapshot } from './cpu.ts';
import type { BenchResult } from './result.ts';

/** Per client run, generous enough for the slowest library target on a busy machine. */
export const BENCH_TIMEOUT_MS = 20_000;

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A run on worker threads (`fuzzOnThreads`), with the fixed schedule a thread repeats instead of generated ones. */
export interface ThreadedRun {
  readonly threads: number;
  readonly schedule?: Schedule;
}

/**
 * A fuzz run as every bench scenario makes it: no corpus, and a
 * counterexample neither shrunk nor replayed more than once (the bench
 * measures exploration, not the shrinker). Returns the report, the wall time
 * and the CPU it took.
 */
export async function timedFuzz(
  options: Omit<FuzzOptions, 'timeoutMs' | 'examples' | 'maxShrinkRuns' | 'confirmations'>,
  threads: ThreadedRun = { threads: 1 },
): Promise<{ report: FuzzReport; seconds: number; cpu: CpuSnapshot }> {
  const cpu = cpuSnapshot();
  const t0 = performance.now();
  const full: FuzzOptions = { timeoutMs: BENCH_TIMEOUT_MS, examples: [], maxShrinkRuns: 0, confirmations: 1, ...options };
  const report = threads.threads > 1 ? await fuzzOnThreads(full, threads.threads, threads.schedule ? { schedule: threads.schedule } : {}) : await fuzz(full);
  return { report, seconds: (performance.now() - t0) / 1000, cpu: cpuSince(cpu) };
}

/** The common fields of a scenario's result, rates computed from the totals. */
export function benchResult(name: string, mode: BenchResult['mode'], workers: number, runs: number, seconds: number, cpu: CpuSnapshot, threads = 1): BenchResult {
  return {
    name,
    mode,
    workers,
    threads,
    runs,
    seconds: round(seconds, 2),
    runsPerSecond: round(runs / seconds),
    cpuMsPerRun: round(cpu.selfMs / Math.max(1, runs)),
    clientCpuMsPerRun: mode === 'subprocess' && cpu.childrenMs !== null ? round(cpu.childrenMs / Math.max(1, runs)) : null,
  };
}
