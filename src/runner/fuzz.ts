import fc from 'fast-check';
import { CHECK_IDS, type CheckId } from '../checks/registry.ts';
import type { JudgeOptions } from '../checks/types.ts';
import { DriverError, type ClientTarget } from '../driver/types.ts';
import type { FailureReport, FuzzReport, StopReason } from '../report/types.ts';
import { scheduleArbitrary } from '../schedule/arbitraries.ts';
import { scheduleLabels } from '../schedule/classify.ts';
import { scheduleEvents } from '../schedule/complexity.ts';
import type { Schedule } from '../schedule/types.ts';
import { confirm, failuresAmong, type FailOn } from './confirm.ts';
import { runOnce, type RunOnceResult } from './run-once.ts';
import { simplify } from './simplify.ts';
import { splitRuns, type WorkerShare } from './split-runs.ts';
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
  /** Counterexamples found so far (being shrunk or confirmed). */
  readonly failures: number;
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
  readonly onCounterexample?: (failure: Omit<FailureReport, 'replayCommand' | 'corpusFile'>) => Promise<Pick<FailureReport, 'replayCommand' | 'corpusFile'>>;
  /** Called whenever the report changes (a counterexample was added), and at the end. */
  readonly onReport?: (report: FuzzReport) => Promise<void> | void;
  readonly version?: string;
}

/** The first failure of a search: the checks it failed, when, and the schedule as generated. */
interface FoundFailure {
  readonly checkIds: ReadonlySet<string>;
  readonly run: number;
  readonly original: Schedule;
}

/** State shared by the concurrent searches of one `fuzz` call. */
interface SharedState {
  runs: number;
  shrinkRuns: number;
  found: number;
  successfulRuns: number;
  crashedRuns: number;
  /** Set once exploration must end (first counterexample, time limit, Ctrl-C). */
  stop: StopReason | null;
  fatal: Error | null;
  /** Schedules of runs whose client never reached the servers (the first few). */
  readonly crashed: Schedule[];
  readonly warnings: string[];
  readonly tally: CoverageTally;
}

/**
 * The search loop: for all generated schedules, the client's run fails no
 * checked MUST check. Runs `workers` fast-check searches side by side; the
 * first counterexample ends exploration everywhere, is shrunk (towards the
 * fewest events and default values, keeping one of the checks it first
 * failed), replayed to tell bugs from flakes, and reported through the
 * callbacks the moment it is known.
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
  const shared: SharedState = { runs: 0, shrinkRuns: 0, found: 0, successfulRuns: 0, crashedRuns: 0, stop: null, fatal: null, crashed: [], warnings: [], tally: new CoverageTally() };
  const failures: FailureReport[] = [];
  const flaky: FailureReport[] = [];
  const aborted = () => options.signal?.aborted === true;
  const onAbort = () => {
    shared.stop ??= 'interrupted';
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = options.timeLimitMs ? t0 + options.timeLimitMs : Infinity;

  const progress = () =>
    options.onProgress?.({ runs: shared.runs, requestedRuns: options.runs, shrinkRuns: shared.shrinkRuns, failures: shared.found, elapsedMs: performance.now() - t0 });

  const report = (): FuzzReport => ({
    tool: { name: 'mcp-dpop-fuzz', version: options.version ?? '0.0.0' },
    client: { kind: options.target.kind, name: options.clientName },
    seed: options.seed,
    requestedRuns: options.runs,
    runs: shared.runs,
    shrinkRuns: shared.shrinkRuns,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    // Ctrl-C wins over any earlier reason (a Ctrl-C during shrinking included).
    stoppedBy: aborted() ? 'interrupted' : (shared.stop ?? 'completed'),
    failures: [...failures],
    flaky: [...flaky],
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
    const property = fc.asyncProperty(arbitrary, orderings, async (schedule, scheduler) => {
      if (failing === null) {
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
      const failed = failuresAmong(result, failing?.checkIds ?? null, failOn);
      if (failed.length === 0) return true;
      if (failing === null) {
        failing = { checkIds: new Set(failed.map((r) => r.id)), run: shared.runs, original: schedule };
        shared.found++;
        shared.stop ??= 'failure';
        await options.onFound?.({ run: shared.runs, checkIds: [...failing.checkIds], schedule });
      }
      lastFailure = { schedule, result };
      return false;
    });
    // Corpus schedules run with the servers' natural answer order.
    const corpus = share.index === 0 ? (options.examples ?? []).map((s): [Schedule, fc.Scheduler | null] => [s, null]) : [];
    // Runs go in chunks, each its own fast-check run with a derived seed, so a
    // stop (first failure elsewhere, time limit, Ctrl-C) takes effect within
    // one chunk instead of after generating every remaining schedule.
    for (let chunk = 0, done = 0; done < share.runs; chunk++) {
      if (shared.stop !== null || aborted()) return;
      const numRuns = Math.min(CHUNK_RUNS, share.runs - done);
      const examples = chunk === 0 ? corpus : [];
      const details = await fc.check(property, { seed: chunkSeed(share.seed, chunk), numRuns: numRuns + examples.length, examples, endOnFailure: false });
      done += numRuns;
      if (!details.failed) continue;
      if (failing === null || lastFailure === null) {
        if (details.errorInstance) throw details.errorInstance;
        return;
      }
      const found: FoundFailure = failing;
      const stillFails = async (candidate: Schedule): Promise<RunOnceResult | null> => {
        const result = aborted() ? null : await runSchedule(candidate);
        shared.shrinkRuns++;
        progress();
        return result !== null && failuresAmong(result, found.checkIds, failOn).length > 0 ? result : null;
      };
      const shrunk = await simplify(lastFailure, stillFails, Math.max(0, maxShrinkRuns - shrinkRuns));
      await settleCounterexample(found, shrunk, details);
      return;
    }
  };

  const settleCounterexample = async (
    found: FoundFailure,
    shrunk: { readonly schedule: Schedule; readonly result: RunOnceResult },
    details: fc.RunDetails<[Schedule, fc.Scheduler | null]>,
  ): Promise<void> => {
    const stopped = () => aborted();
    let schedule = shrunk.schedule;
    let evidence = shrunk.result;
    let confirmation = await confirm(runSchedule, schedule, found.checkIds, confirmations, stopped, failOn);
    if (confirmation.reproduced === 0 && !stopped() && found.original !== schedule) {
      // The shrunk schedule may have failed by chance; try the schedule that failed first.
      const original = await confirm(runSchedule, found.original, found.checkIds, confirmations, stopped, failOn);
      if (original.reproduced > 0 && original.last) {
        schedule = found.original;
        evidence = original.last;
        confirmation = original;
      }
    }
    const failed = failuresAmong(evidence, found.checkIds, failOn);
    const verdict = confirmation.reproduced > 0 ? 'bug' : confirmation.replays === 0 && stopped() ? 'unconfirmed' : 'flaky';
    // Two searches that hit the same checks found the same bug: report it once, with the smaller schedule.
    const key = [...new Set(failed.map((r) => r.id))].sort().join(' ');
    const target = verdict === 'flaky' ? flaky : failures;
    const same = target.findIndex((f) => [...f.checkIds].sort().join(' ') === key);
    if (same !== -1 && scheduleEvents(target[same]!.schedule) <= scheduleEvents(schedule)) return;
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
    } satisfies Omit<FailureReport, 'replayCommand' | 'corpusFile'>;
    let where: Pick<FailureReport, 'replayCommand' | 'corpusFile'> = { replayCommand: '', corpusFile: null };
    try {
      if (options.onCounterexample) where = await options.onCounterexample(base);
    } catch (err) {
      // Storing it failed (disk full, unwritable corpus): keep the counterexample in the report anyway.
      shared.warnings.push(`could not store the counterexample for ${base.checkIds.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const entry = { ...base, ...where };
    // Looked up again: another search may have settled the same bug meanwhile.
    const index = target.findIndex((f) => [...f.checkIds].sort().join(' ') === key);
    if (index === -1) target.push(entry);
    else if (scheduleEvents(schedule) < scheduleEvents(target[index]!.schedule)) target[index] = entry;
    await options.onReport?.(report());
  };

  try {
    await Promise.all(splitRuns(options.runs, options.workers, options.seed).map(search));
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
