import type fc from 'fast-check';
import { CHECK_IDS, type CheckId } from '../checks/registry.ts';
import { DEFAULT_JUDGE_OPTIONS } from '../checks/types.ts';
import { DriverError } from '../driver/types.ts';
import type { FuzzReport, StopReason } from '../report/types.ts';
import type { Schedule } from '../schedule/types.ts';
import { BugBook, onTarget, type BugTarget, type BugTicket, type SettledFailure } from './bug-book.ts';
import { confirm, failedCheckIds, failuresAmong, type FailOn } from './confirm.ts';
import { DEFAULT_CONFIRMATIONS, DEFAULT_MAX_SHRINK_RUNS, type FuzzOptions } from './fuzz-options.ts';
import { runOnce, type RunOnceResult } from './run-once.ts';
import type { Shard } from './split-runs.ts';
import { CoverageTally } from './statistics.ts';

/** Runs in a row that never reach the servers, with none that did, before the client is deemed unusable. */
const FATAL_CRASHES = 3;
/** Schedules of crashed runs kept for the report. */
const MAX_CRASHED_SCHEDULES = 3;

/** A new failure in a search: what shrinking must keep, when it was found, and the schedule as generated. */
export interface FoundFailure {
  readonly target: BugTarget;
  readonly ticket: BugTicket;
  readonly run: number;
  readonly original: Schedule;
}

/** A failing run: its schedule and what it gave. */
export interface FailingRun {
  readonly schedule: Schedule;
  readonly result: RunOnceResult;
}

/**
 * One `fuzz` call's shared state and the steps every search uses: running a
 * schedule (counting crashes, never judging a run Ctrl-C cut short),
 * settling a shrunk counterexample (replays, bug book, callbacks) and the
 * report. The searches (`search.ts`) decide what to run.
 */
export class FuzzSession {
  readonly checks: readonly CheckId[];
  readonly failOn: FailOn;
  readonly confirmations: number;
  readonly maxShrinkRuns: number;
  readonly maxBugs: number;
  /** performance.now() after which no new schedule is generated. */
  readonly deadline: number;
  readonly book = new BugBook();
  readonly tally = new CoverageTally();
  /** Check ID → exploration runs that failed it. */
  readonly failedChecks: Record<string, number> = {};
  /** Generated runs so far (shrinking and replays excluded). */
  runs = 0;
  shrinkRuns = 0;
  /** Set once exploration must end (bug limit, time limit, Ctrl-C). */
  stop: StopReason | null = null;
  /** A harness failure (not the client's) that ends the session. */
  fatal: Error | null = null;
  private successfulRuns = 0;
  private crashedRuns = 0;
  /** Schedules of runs whose client never reached the servers (the first few). */
  private readonly crashed: Schedule[] = [];
  private readonly warnings: string[] = [];
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();

  constructor(
    readonly options: FuzzOptions,
    /** Generated runs asked of this session's searches (a shard's part of `runs`). */
    readonly requestedRuns: number,
    private readonly shard: Shard | undefined,
  ) {
    this.checks = options.checks ?? CHECK_IDS;
    this.failOn = options.failOn ?? 'failure';
    this.confirmations = options.confirmations ?? DEFAULT_CONFIRMATIONS;
    this.maxShrinkRuns = options.maxShrinkRuns ?? DEFAULT_MAX_SHRINK_RUNS;
    this.maxBugs = options.maxBugs ?? Infinity;
    this.deadline = options.timeLimitMs ? this.t0 + options.timeLimitMs : Infinity;
  }

  aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** Whether generated runs may still start. */
  exploring(): boolean {
    return this.stop === null && !this.aborted();
  }

  progress(): void {
    this.options.onProgress?.({
      runs: this.runs,
      requestedRuns: this.requestedRuns,
      shrinkRuns: this.shrinkRuns,
      failures: this.book.size,
      shrinking: this.book.shrinking,
      elapsedMs: performance.now() - this.t0,
    });
  }

  /** The failed check IDs of a run that count under `failOn`. */
  failed(result: RunOnceResult): string[] {
    return failedCheckIds(result, this.failOn);
  }

  report(): FuzzReport {
    const options = this.options;
    return {
      tool: { name: 'mcp-dpop-fuzz', version: options.version ?? '0.0.0' },
      client: { kind: options.target.kind, name: options.clientName },
      seed: options.seed,
      profile: options.judge?.profile ?? DEFAULT_JUDGE_OPTIONS.profile,
      checks: [...this.checks],
      requestedRuns: this.requestedRuns,
      ...(this.shard ? { shard: { index: this.shard.index, count: this.shard.count } } : {}),
      runs: this.runs,
      shrinkRuns: this.shrinkRuns,
      startedAt: this.startedAt.toISOString(),
      durationMs: Math.round(performance.now() - this.t0),
      // Ctrl-C wins over any earlier reason (a Ctrl-C during shrinking included).
      stoppedBy: this.aborted() ? 'interrupted' : (this.stop ?? 'completed'),
      maxBugs: Number.isFinite(this.maxBugs) ? this.maxBugs : null,
      failures: this.book.bugs(),
      flaky: this.book.flaky(),
      failedChecks: { ...this.failedChecks },
      crashes: { runs: this.crashedRuns, schedules: [...this.crashed] },
      warnings: [...this.warnings],
      statistics: this.tally.toJSON(),
    };
  }

  /**
   * One client run; null when the harness could not run it (counted, never a
   * verdict). With a scheduler (in-process clients), fast-check decides the
   * order in which the servers release their answers to concurrent requests.
   */
  async runSchedule(schedule: Schedule, scheduler: fc.Scheduler | null = null): Promise<RunOnceResult | null> {
    const options = this.options;
    try {
      const run = runOnce({
        target: options.target,
        schedule,
        timeoutMs: options.timeoutMs,
        checks: this.checks,
        ...(options.judge ? { judge: options.judge } : {}),
        ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(scheduler ? { releaseGate: (label: string) => scheduler.schedule(Promise.resolve(), label) } : {}),
        ...(options.phaseTimes ? { phaseTimes: options.phaseTimes } : {}),
      });
      const result = scheduler ? await scheduler.waitFor(run) : await run;
      // A run cut short by Ctrl-C is never judged: its trace is partial.
      if (this.aborted()) return null;
      this.successfulRuns++;
      return result;
    } catch (err) {
      if (this.aborted()) return null;
      if (!(err instanceof DriverError)) {
        // A harness failure (not the client's): stop everything, report it.
        this.fatal ??= err instanceof Error ? err : new Error(String(err));
        this.stop ??= 'interrupted';
        return null;
      }
      // The client never reached the servers. Only the URL it was handed comes
      // from the schedule before the first request, so this is a start-up
      // problem: fatal when no run has worked at all, otherwise counted and
      // reported with its schedule.
      this.crashedRuns++;
      if (this.crashed.length < MAX_CRASHED_SCHEDULES) this.crashed.push(schedule);
      if (this.successfulRuns === 0 && this.crashedRuns >= FATAL_CRASHES) {
        this.fatal ??= err;
        this.stop ??= 'interrupted';
      }
      return null;
    }
  }

  /** Throws what ended the session abnormally: a harness failure, or a client that never reached the servers. */
  throwIfFailed(): void {
    if (this.fatal) throw this.fatal;
    // Every run crashed before reaching the servers (fewer runs than FATAL_CRASHES).
    if (this.successfulRuns === 0 && this.crashedRuns > 0 && !this.aborted()) {
      throw new DriverError(`none of the ${this.crashedRuns} client run(s) reached the servers; is the command right?`);
    }
  }

  /**
   * Replays a shrunk counterexample to tell a bug from a flake (falling back
   * to the schedule as first generated when the shrunk one does not
   * reproduce), files it in the bug book and hands it to the callbacks.
   */
  async settle(found: FoundFailure, shrunk: FailingRun, details: fc.RunDetails<[Schedule, fc.Scheduler | null]>): Promise<void> {
    const stopped = () => this.aborted();
    const run = (s: Schedule) => this.runSchedule(s);
    const reproduces = (result: RunOnceResult) => onTarget(this.failed(result), found.target);
    let schedule = shrunk.schedule;
    let evidence = shrunk.result;
    let confirmation = await confirm(run, schedule, reproduces, this.confirmations, stopped);
    if (confirmation.reproduced === 0 && !stopped() && found.original !== schedule) {
      // The shrunk schedule may have failed by chance; try the schedule that failed first.
      const original = await confirm(run, found.original, reproduces, this.confirmations, stopped);
      if (original.reproduced > 0 && original.last) {
        schedule = found.original;
        evidence = original.last;
        confirmation = original;
      }
    }
    // The bug's identity: every check its minimal run fails.
    const failed = failuresAmong(evidence, null, this.failOn);
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
    if (!this.book.settle(found.ticket, settled)) return;
    try {
      if (this.options.onCounterexample) this.book.amend(settled, { ...settled, ...(await this.options.onCounterexample(base)) });
    } catch (err) {
      // Storing it failed (disk full, unwritable corpus): keep the counterexample in the report anyway.
      this.warnings.push(`could not store the counterexample for ${base.checkIds.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
    }
    await this.options.onReport?.(this.report());
  }
}
