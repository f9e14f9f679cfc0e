import type { BaselineVerdict } from '../baseline/verdict.ts';
import type { CheckResult, Profile } from '../checks/types.ts';
import type { Schedule } from '../schedule/types.ts';
import type { ClientOutcome, Trace } from '../trace/types.ts';

/** One counterexample: a schedule under which the client broke at least one MUST check. */
export interface FailureReport {
  /** Check IDs that failed on the shrunk schedule. */
  readonly checkIds: readonly string[];
  /** The FAILURE results of the shrunk run (message + evidence seqs). */
  readonly results: readonly CheckResult[];
  /** The smallest schedule that still fails. */
  readonly schedule: Schedule;
  /** The schedule as first generated. */
  readonly originalSchedule: Schedule;
  /** Trace of the shrunk failing run. */
  readonly trace: Trace;
  readonly outcome: ClientOutcome;
  /** fast-check coordinates: replays the exact generation with `fc.assert(…, { seed, path })`. */
  readonly fastCheck: { readonly seed: number; readonly path: string; readonly shrinks: number };
  /** 1-based index of the run that first failed. */
  readonly foundAtRun: number;
  /**
   * 'bug': the shrunk (or original) schedule reproduced on replay; 'flaky': it
   * did not; 'unconfirmed': the run was interrupted before any replay.
   */
  readonly verdict: 'bug' | 'flaky' | 'unconfirmed';
  /** Replays of `schedule` after shrinking and how many reproduced a FAILURE of one of `checkIds`. */
  readonly confirmation: { readonly replays: number; readonly reproduced: number };
  /** Shell command that replays this counterexample. */
  readonly replayCommand: string;
  /** Where the schedule was saved in the corpus, or null. */
  readonly corpusFile: string | null;
  /**
   * Runs that failed every one of `checkIds` (the first one included):
   * generated, corpus and baseline schedules; shrinking and replays excluded.
   */
  readonly hits: number;
}

/** Why exploration ended: all runs done, the bug limit (`--max-bugs`, 1 with `--stop-on-first`), the time limit, or Ctrl-C. */
export type StopReason = 'completed' | 'failure' | 'time-limit' | 'interrupted';

export interface FuzzReport {
  readonly tool: { readonly name: 'mcp-dpop-fuzz'; readonly version: string };
  /** The client under test: `--command` string or `--module` path. */
  readonly client: { readonly kind: 'command' | 'module' | 'function'; readonly name: string };
  readonly seed: number;
  /** The judge's profile (absent in reports written before it was recorded: `sep-1932`). */
  readonly profile?: Profile;
  /** The checks judged (`--checks`; all of them by default); absent in reports written before it was recorded. */
  readonly checks?: readonly string[];
  /** Generated runs asked of this report's searches (a shard's part of `--runs`). */
  readonly requestedRuns: number;
  /** The shard this report covers (`--shard i/n`); absent for a whole run and for a merged report. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Shard reports merged into this one (`dpop-fuzz merge`), by shard index. */
  readonly mergedShards?: readonly number[];
  /** Runs executed (generation + shrinking excluded / included: see `shrinkRuns`). */
  readonly runs: number;
  readonly shrinkRuns: number;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly stoppedBy: StopReason;
  /** Distinct failures after which exploration stops (`--max-bugs`), or null for no limit. */
  readonly maxBugs: number | null;
  /** Distinct confirmed bugs, most severe first, then in the order found; one per set of failed checks. */
  readonly failures: readonly FailureReport[];
  readonly flaky: readonly FailureReport[];
  /**
   * Check ID → exploration runs (generated, corpus and baseline schedules;
   * not shrinking or replays) that failed it: what the client still gets
   * wrong, counterexample or not.
   */
  readonly failedChecks: Readonly<Record<string, number>>;
  /** The comparison with `--expected-failures`, when one was given. */
  readonly baseline?: BaselineVerdict;
  /** Runs whose client never reached the servers (after at least one run that did), with the first few schedules. */
  readonly crashes: { readonly runs: number; readonly schedules: readonly Schedule[] };
  /** Problems that did not stop the run (e.g. a counterexample that could not be stored). */
  readonly warnings: readonly string[];
  /** How often each schedule dimension was exercised: dimension → label → runs. */
  readonly statistics: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
