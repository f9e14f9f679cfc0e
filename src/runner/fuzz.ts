import fc from 'fast-check';
import { CHECK_IDS, type CheckId } from '../checks/registry.ts';
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions } from '../checks/types.ts';
import { DriverError, type ClientTarget } from '../driver/types.ts';
import type { FailureReport, FuzzReport, StopReason } from '../report/types.ts';
import { scheduleArbitrary } from '../schedule/arbitraries.ts';
import { scheduleLabels } from '../schedule/classify.ts';
import { scheduleEvents } from '../schedule/complexity.ts';
import type { Schedule } from '../schedule/types.ts';
import { BugBook, onTarget, type BugTarget, type BugTicket, type SettledFailure } from './bug-book.ts';
import { confirm, failedCheckIds, failuresAmong, type FailOn } from './confirm.ts';
import { runOnce, type RunOnceResult } from './run-once.ts';
import type { PhaseTimes } from './phase-times.ts';
import { simplify } from './simplify.ts';
import { shardShares, splitRuns, type Shard, type WorkerShare } from './split-runs.ts';
import { CoverageTally } from './statistics.ts';

/** Default number of generated schedules per `dpop-fuzz run`. */
export const DEFAULT_RUNS = 500;
/** Replays of a shrunk counterexample before it is called a bug. */
export const DEFAULT_CONFIRMATIONS = 3;
/** Client runs spent on shrinking one counterexample at most. */
export const DEFAULT_MAX_SHRINK_RUNS = 300;
/** Runs in a row that never reach the servers, with none that did, before the client is deemed unusable. */
const FATAL_CRASHES = 3;
/** Generated runs per fast-check run inside one search (see `search`). */
const CHUNK_RUNS = 50;

/** The seed of chunk `chunk` of a search: fixed by the search's seed, distinct per chunk. */
function chunkSeed(seed: number, chunk: number): number {
  return (seed + Math.imul(chunk, 0x9e3779b1)) | 0;
}

/** Schedules of crashed runs kept for the report. */
const MAX_CRASHED_SCHEDULES = 3;

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
  /** Generator to use instead of `scheduleArbitrary()`. */
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
  /** Adds every run's phase times, shrinking and replays included (benchmarking). */
  readonly phaseTimes?: PhaseTimes;
}

/** A new failure in a search: what shrinking must keep, when it was found, and the schedule as generated. */
interface FoundFailure {
  readonly target: BugTarget;
  readonly ticket: BugTicket;
  readonly run: number;
  readonly original: Schedule;
}

/** State shared by the concurrent searches of one `fuzz` call. */
interface SharedState {
  runs: number;
  shrinkRuns: number;
  successfulRuns: number;
  crashedRuns: number;
  /** Set once exploration must end (bug limit, time limit, Ctrl-C). */
  stop: StopReason | null;
  fatal: Error | null;
  /** Schedules of runs whose client never reached the servers (the first few). */
  readonly crashed: Schedule[];
  readonly warnings: string[];
  readonly tally: CoverageTally;
  /** Check ID → exploration runs that failed it. */
  readonly failedChecks: Record<string, number>;
}

/**
 * The search loop: for all generated schedules, the client's run fails no
 * checked MUST check. Runs `workers` fast-check searches side by side. A run
 * that fails a check no known bug explains is shrunk (towards the fewest
 * events and default values, keeping one of those checks and adding none),
 * replayed to tell bugs from flakes, and reported through the callbacks the
 * moment it is known; then that search goes on exploring. Runs that show only
 * known bugs are counted as their hits (see `BugBook`). Exploration ends
 * after `runs`, the time limit, `maxBugs` distinct failures or Ctrl-C.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const checks = options.checks ?? CHECK_IDS;
  const confirmations = options.confirmations ?? DEFAULT_CONFIRMATIONS;
  const maxShrinkRuns = options.maxShrinkRuns ?? DEFAULT_MAX_SHRINK_RUNS;
  const arbitrary = options.arbitrary ?? scheduleArbitrary();
  const failOn = options.failOn ?? 'failure';
  // fast-check's scheduler reaches into the servers' handlers of an in-process
  // run; a client in another process gets the schedule's response delays only.
  const orderings: fc.Arbitrary<fc.Scheduler | null> =
    options.target.kind === 'command' ? fc.constant(null) : fc.scheduler().map((s): fc.Scheduler | null => s);
  const shared: SharedState = { runs: 0, shrinkRuns: 0, successfulRuns: 0, crashedRuns: 0, stop: null, fatal: null, crashed: [], warnings: [], tally: new CoverageTally(), failedChecks: {} };
  const book = new BugBook();
  const maxBugs = options.maxBugs ?? Infinity;
  const aborted = () => options.signal?.aborted === true;
  const onAbort = () => {
    shared.stop ??= 'interrupted';
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = options.timeLimitMs ? t0 + options.timeLimitMs : Infinity;
  const allShares = splitRuns(options.runs, options.workers, options.seed);
  const shares = options.shard ? shardShares(allShares, options.shard) : allShares;
  // A shard is asked for its searches' share of the runs; the shards' requests add up to `runs`.
  const requestedRuns = shares.reduce((n, share) => n + share.runs, 0);

  const progress = () =>
    options.onProgress?.({ runs: shared.runs, requestedRuns, shrinkRuns: shared.shrinkRuns, failures: book.size, shrinking: book.shrinking, elapsedMs: performance.now() - t0 });

  const report = (): FuzzReport => ({
    tool: { name: 'mcp-dpop-fuzz', version: options.version ?? '0.0.0' },
    client: { kind: options.target.kind, name: options.clientName },
    seed: options.seed,
    profile: options.judge?.profile ?? DEFAULT_JUDGE_OPTIONS.profile,
    checks: [...checks],
    requestedRuns,
    ...(options.shard ? { shard: { index: options.shard.index, count: options.shard.count } } : {}),
    runs: shared.runs,
    shrinkRuns: shared.shrinkRuns,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    // Ctrl-C wins over any earlier reason (a Ctrl-C during shrinking included).
    stoppedBy: aborted() ? 'interrupted' : (shared.stop ?? 'completed'),
    maxBugs: Number.isFinite(maxBugs) ? maxBugs : null,
    failures: book.bugs(),
    flaky: book.flaky(),
    failedChecks: { ...shared.failedChecks },
    crashes: { runs: shared.crashedRuns, schedules: [...shared.crashed] },
    warnings: [...shared.warnings],
    statistics: shared.tally.toJSON(),
  });

  /**
   * One client run; null when the harness could not run it (counted, never a
   * verdict). With a scheduler (in-process clients), fast-check decides the
   * order in which the servers release their answers to concurrent requests.
   */
  const runSchedule = async (schedule: Schedule, scheduler: fc.Scheduler | null = null): Promise<RunOnceResult | null> => {
    try {
      const run = runOnce({
        target: options.target,
        schedule,
        timeoutMs: options.timeoutMs,
        checks,
        ...(options.judge ? { judge: options.judge } : {}),
        ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(scheduler ? { releaseGate: (label: string) => scheduler.schedule(Promise.resolve(), label) } : {}),
        ...(options.phaseTimes ? { phaseTimes: options.phaseTimes } : {}),
      });
      const result = scheduler ? await scheduler.waitFor(run) : await run;
      // A run cut short by Ctrl-C is never judged: its trace is partial.
      if (aborted()) return null;
      shared.successfulRuns++;
      return result;
    } catch (err) {
      if (aborted()) return null;
      if (!(err instanceof DriverError)) {
        // A harness failure (not the client's): stop everything, report it.
        shared.fatal ??= err instanceof Error ? err : new Error(String(err));
        shared.stop ??= 'interrupted';
        return null;
      }
      // The client never reached the servers. Only the URL it was handed comes
      // from the schedule before the first request, so this is a start-up
      // problem: fatal when no run has worked at all, otherwise counted and
      // reported with its schedule.
      shared.crashedRuns++;
      if (shared.crashed.length < MAX_CRASHED_SCHEDULES) shared.crashed.push(schedule);
      if (shared.successfulRuns === 0 && shared.crashedRuns >= FATAL_CRASHES) {
        shared.fatal ??= err;
        shared.stop ??= 'interrupted';
      }
      return null;
    }
  };

  const search = async (share: WorkerShare): Promise<void> => {
    let failing: FoundFailure | null = null;
    let lastFailure: { readonly schedule: Schedule; readonly result: RunOnceResult } | null = null;
    let shrinkRuns = 0;
    /** Values fast-check hands over that were already explored: passed over without running the client. */
    let skip = 0;
    /** Values of the current fast-check run handed over before shrinking began (skipped ones included). */
    let explored = 0;
    const property = fc.asyncProperty(arbitrary, orderings, async (schedule, scheduler) => {
      if (failing === null) {
        explored++;
        if (skip > 0) {
          skip--;
          return true;
        }
        if (shared.stop !== null || aborted()) return true;
        if (performance.now() > deadline) {
          shared.stop ??= 'time-limit';
          return true;
        }
      } else if (shrinkRuns >= maxShrinkRuns || aborted()) {
        // Shrink budget spent: the smallest failing schedule so far stands.
        return true;
      }
      const result = await runSchedule(schedule, scheduler);
      if (failing === null) {
        shared.runs++;
        shared.tally.add(scheduleLabels(schedule));
      } else {
        shrinkRuns++;
        shared.shrinkRuns++;
      }
      progress();
      if (result === null) return true;
      if (failing !== null) {
        // Shrinking: the candidate must still show the same bug.
        if (!onTarget(failedCheckIds(result, failOn), failing.target)) return true;
        lastFailure = { schedule, result };
        return false;
      }
      const failed = failedCheckIds(result, failOn);
      if (failed.length === 0) return true;
      for (const id of failed) shared.failedChecks[id] = (shared.failedChecks[id] ?? 0) + 1;
      // A new check opens a new bug; a run failing only claimed checks is a hit of those bugs.
      const sighting = book.sight(failed, book.size < maxBugs && shared.stop === null);
      if (sighting.kind === 'known') return true;
      failing = { target: sighting.target, ticket: sighting.ticket, run: shared.runs, original: schedule };
      if (book.size >= maxBugs) shared.stop ??= 'failure';
      await options.onFound?.({ run: shared.runs, checkIds: failed, schedule });
      lastFailure = { schedule, result };
      return false;
    });

    /**
     * One fast-check run from `skip` on: true when it ended without a new
     * failure; otherwise the failure is shrunk further, replayed and settled.
     */
    const explore = async (parameters: fc.Parameters<[Schedule, fc.Scheduler | null]>, from: number): Promise<boolean> => {
      failing = null;
      lastFailure = null;
      shrinkRuns = 0;
      skip = from;
      explored = 0;
      const details = await fc.check(property, { ...parameters, endOnFailure: false });
      if (!details.failed) return true;
      if (failing === null || lastFailure === null) {
        if (details.errorInstance) throw details.errorInstance;
        return true;
      }
      const found: FoundFailure = failing;
      const stillFails = async (candidate: Schedule): Promise<RunOnceResult | null> => {
        const result = aborted() ? null : await runSchedule(candidate);
        shared.shrinkRuns++;
        progress();
        return result !== null && onTarget(failedCheckIds(result, failOn), found.target) ? result : null;
      };
      const shrunk = await simplify(lastFailure, stillFails, Math.max(0, maxShrinkRuns - shrinkRuns));
      await settleCounterexample(found, shrunk, details);
      return false;
    };

    // The corpus first (search 0), with the servers' natural answer order, each schedule once.
    const corpus = share.index === 0 ? (options.examples ?? []).map((s): [Schedule, fc.Scheduler | null] => [s, null]) : [];
    for (let next = 0; next < corpus.length; ) {
      if (shared.stop !== null || aborted()) return;
      const examples = corpus.slice(next);
      const done = await explore({ seed: share.seed, numRuns: examples.length, examples }, 0);
      next = done ? corpus.length : next + explored;
    }
    // Then the generated runs, in chunks: each its own fast-check run with a seed derived from
    // the search's, so a stop (bug limit, time limit, Ctrl-C) takes effect within one chunk. A
    // failure ends a fast-check run; the chunk is then run again from the value after it, the
    // values before it passed over unrun. So chunk c always holds the same schedules, whatever
    // failed before and whatever the other searches (or shards) found: the same seed and
    // workers give the same schedules.
    for (let chunk = 0, from = 0; chunk * CHUNK_RUNS < share.runs; ) {
      if (shared.stop !== null || aborted()) return;
      const numRuns = Math.min(CHUNK_RUNS, share.runs - chunk * CHUNK_RUNS);
      const done = await explore({ seed: chunkSeed(share.seed, chunk), numRuns }, from);
      // `explored` counts from the chunk's start: the values passed over and those run.
      from = done ? numRuns : explored;
      if (from >= numRuns) {
        chunk++;
        from = 0;
      }
    }
  };

  const settleCounterexample = async (
    found: FoundFailure,
    shrunk: { readonly schedule: Schedule; readonly result: RunOnceResult },
    details: fc.RunDetails<[Schedule, fc.Scheduler | null]>,
  ): Promise<void> => {
    const stopped = () => aborted();
    const reproduces = (result: RunOnceResult) => onTarget(failedCheckIds(result, failOn), found.target);
    let schedule = shrunk.schedule;
    let evidence = shrunk.result;
    let confirmation = await confirm(runSchedule, schedule, reproduces, confirmations, stopped);
    if (confirmation.reproduced === 0 && !stopped() && found.original !== schedule) {
      // The shrunk schedule may have failed by chance; try the schedule that failed first.
      const original = await confirm(runSchedule, found.original, reproduces, confirmations, stopped);
      if (original.reproduced > 0 && original.last) {
        schedule = found.original;
        evidence = original.last;
        confirmation = original;
      }
    }
    // The bug's identity: every check its minimal run fails.
    const failed = failuresAmong(evidence, null, failOn);
    const verdict = confirmation.reproduced > 0 ? 'bug' : confirmation.replays === 0 && stopped() ? 'unconfirmed' : 'flaky';
    const base = {
      checkIds: [...new Set(failed.map((r) => r.id))],
      results: failed,
      schedule,
      originalSchedule: found.original,
      trace: evidence.trace,
      outcome: evidence.outcome,
      fastCheck: { seed: details.seed, path: details.counterexamplePath ?? '', shrinks: details.numShrinks },
      foundAtRun: found.run,
      verdict,
      confirmation: { replays: confirmation.replays, reproduced: confirmation.reproduced },
    } satisfies Omit<SettledFailure, 'replayCommand' | 'corpusFile'>;
    const settled: SettledFailure = { ...base, replayCommand: '', corpusFile: null };
    // Two searches that hit the same checks found the same bug: it is kept once, with the smaller schedule.
    if (!book.settle(found.ticket, settled)) return;
    try {
      if (options.onCounterexample) book.amend(settled, { ...settled, ...(await options.onCounterexample(base)) });
    } catch (err) {
      // Storing it failed (disk full, unwritable corpus): keep the counterexample in the report anyway.
      shared.warnings.push(`could not store the counterexample for ${base.checkIds.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await options.onReport?.(report());
  };

  try {
    await Promise.all(shares.map(search));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (shared.fatal) throw shared.fatal;
  // Every run crashed before reaching the servers (fewer runs than FATAL_CRASHES).
  if (shared.successfulRuns === 0 && shared.crashedRuns > 0 && !aborted()) {
    throw new DriverError(`none of the ${shared.crashedRuns} client run(s) reached the servers; is the command right?`);
  }
  progress();
  const final = report();
  await options.onReport?.(final);
  return final;
}
