import { availableParallelism } from 'node:os';
import type fc from 'fast-check';
import type { CheckId } from '../checks/registry.ts';
import type { JudgeOptions } from '../checks/types.ts';
import type { ClientTarget } from '../driver/types.ts';
import type { FailureReport, FuzzReport } from '../report/types.ts';
import type { ScheduleConstraints } from '../schedule/arbitraries.ts';
import type { Schedule } from '../schedule/types.ts';
import type { FailOn } from './confirm.ts';
import type { PhaseTimes } from './phase-times.ts';
import type { Shard } from './split-runs.ts';

/** Largest seed: fast-check seeds are 32-bit; search i runs seed + i (wrapping). */
export const MAX_SEED = 2 ** 31 - 1;
/** Default number of generated schedules per `dpop-fuzz run`. */
export const DEFAULT_RUNS = 500;
/**
 * Searches side by side for an in-process (`--module`) client. Most of a
 * generated run is waiting (response delays, Retry-After, the client's own
 * timers), so twice as many searches as a 2-core machine needs to stay busy
 * gave about 30 % more runs per second than 4, at no more CPU per run.
 */
export const DEFAULT_MODULE_WORKERS = 8;
/** Searches side by side by default: one per core for a command client (each a process), `DEFAULT_MODULE_WORKERS` in-process. */
export function defaultWorkers(target: ClientTarget): number {
  return target.kind === 'command' ? availableParallelism() : DEFAULT_MODULE_WORKERS;
}
/** Replays of a shrunk counterexample before it is called a bug. */
export const DEFAULT_CONFIRMATIONS = 3;
/** Client runs spent on shrinking one counterexample at most. */
export const DEFAULT_MAX_SHRINK_RUNS = 300;

export interface FuzzProgress {
  /** Generated schedules run so far (shrinking and replays excluded). */
  readonly runs: number;
  readonly requestedRuns: number;
  readonly shrinkRuns: number;
  /** Distinct failures found so far: confirmed bugs, flaky ones and those being shrunk. */
  readonly failures: number;
  /** True while a failure is being shrunk or replayed. */
  readonly shrinking: boolean;
  readonly elapsedMs: number;
}

/** A counterexample the moment it is found, before shrinking. */
export interface FoundCounterexample {
  readonly run: number;
  readonly checkIds: readonly string[];
  readonly schedule: Schedule;
}

export interface FuzzOptions {
  readonly target: ClientTarget;
  /** Shown in the report: the command, module path or function name. */
  readonly clientName: string;
  readonly runs: number;
  readonly seed: number;
  /** Independent searches run at the same time (seed + i each). */
  readonly workers: number;
  /** Stop generating after this long (running shrinks still finish). */
  readonly timeLimitMs?: number | null;
  /** Per client run. */
  readonly timeoutMs: number;
  readonly checks?: readonly CheckId[];
  readonly judge?: Partial<JudgeOptions>;
  /** Schedules tried before any generated one (the corpus). */
  readonly examples?: readonly Schedule[];
  /**
   * Distinct failures (bugs or flaky) after which exploration stops; default:
   * no limit, the search keeps going until `runs` or the time limit. 1 gives
   * the stop-at-first-failure behaviour.
   */
  readonly maxBugs?: number;
  readonly confirmations?: number;
  readonly maxShrinkRuns?: number;
  /** `warning`: SHOULD-level WARNINGs count as counterexamples too (default: FAILURE only). */
  readonly failOn?: FailOn;
  /** Narrows the generated schedules (`scheduleArbitrary(constraints)`); plain data, so threads get it too. */
  readonly constraints?: ScheduleConstraints;
  /** Generator to use instead of `scheduleArbitrary(constraints)`. */
  readonly arbitrary?: fc.Arbitrary<Schedule>;
  readonly maxRequests?: number;
  /** Abort = stop now (Ctrl-C): running clients are stopped, the report still comes back. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FuzzProgress) => void;
  /** Called the moment a run fails, before shrinking (write it to disk). */
  readonly onFound?: (found: FoundCounterexample) => Promise<void> | void;
  /** Called for each shrunk and replayed counterexample; returns where it was stored and how to replay it. */
  readonly onCounterexample?: (failure: Omit<FailureReport, 'replayCommand' | 'corpusFile' | 'hits'>) => Promise<Pick<FailureReport, 'replayCommand' | 'corpusFile'>>;
  /** Called whenever the report changes (a counterexample was added), and at the end. */
  readonly onReport?: (report: FuzzReport) => Promise<void> | void;
  readonly version?: string;
  /** Run only this shard's searches (see `shardShares`); `workers` counts the searches of all shards. */
  readonly shard?: Shard;
  /**
   * Run only this thread's part of the (shard's) searches: every `count`-th,
   * from `index - 1` (see `threadShares`). Set by `fuzzOnThreads`, which
   * combines the threads' reports into the report of the whole run.
   */
  readonly thread?: Shard;
  /** Abort = end exploration as the bug limit does (another thread reached it); running shrinks finish. */
  readonly halt?: AbortSignal;
  /** Adds every run's phase times, shrinking and replays included (benchmarking). */
  readonly phaseTimes?: PhaseTimes;
}

