import type { FailureReport, FuzzReport } from '../report/types.ts';
import type { Baseline } from './expected-failures.ts';

/** A bug (or flaky failure) every check of which the baseline expects. */
export interface KnownFailure {
  readonly checkIds: readonly string[];
  readonly flaky: boolean;
  /** The baseline entries that excuse it. */
  readonly entries: readonly string[];
}

/** A failure the baseline does not expect: it fails the run. */
export interface UnexpectedFailure {
  readonly checkIds: readonly string[];
  /** The checks no entry excuses. */
  readonly unexpectedChecks: readonly string[];
  /** `bug` / `flaky`: a shrunk counterexample in the report; `check`: a check that failed in runs without a counterexample of its own. */
  readonly kind: 'bug' | 'flaky' | 'check';
  /** Exploration runs that failed one of `unexpectedChecks`. */
  readonly runs: number;
}

/** A baseline entry nothing failed in this run: the bug was fixed (or the entry is wrong). */
export interface StaleEntry {
  readonly entry: string;
  /** True when the entry's schedule from `dpop-fuzz.schedules` ran first and passed. */
  readonly scheduleRan: boolean;
}

/** How a fuzz run compares with an expected-failures baseline (the official runner's rules, per check). */
export interface BaselineVerdict {
  readonly file: string;
  readonly scenario: string;
  readonly known: readonly KnownFailure[];
  readonly unexpected: readonly UnexpectedFailure[];
  readonly stale: readonly StaleEntry[];
  /**
   * False when exploration ended early (bug limit, Ctrl-C) or covered one
   * shard only: a check not seen failing may just not have been reached, so
   * no entry is called stale.
   */
  readonly staleJudged: boolean;
  /** 0: only expected failures; 1: an unexpected failure or a stale entry. */
  readonly exitCode: 0 | 1;
}

/**
 * Compares a run with the baseline entries of `scenario`:
 * - a bug whose every check is listed (or whose scenario is listed whole) is known;
 * - any other bug, flaky failure, or check that failed in a run, is unexpected (exit 1);
 * - a listed check that failed in no run is stale (exit 1), as is a whole-scenario
 *   entry when nothing failed; judged only when exploration was not cut short,
 *   and never for entries marked intermittent.
 *
 * Staleness looks at every run, not only the shrunk counterexamples: a known
 * bug failing three checks may shrink to a schedule failing one of them, and
 * the other two are still failing, not fixed.
 */
export function compareWithBaseline(report: FuzzReport, baseline: Baseline, scenario: string): BaselineVerdict {
  const entries = baseline.entries.filter((e) => e.scenario === scenario);
  const wholesale = entries.find((e) => e.checkId === null);
  const byCheck = new Map(entries.flatMap((e) => (e.checkId === null ? [] : [[e.checkId, e.text] as const])));
  const excused = (id: string) => wholesale !== undefined || byCheck.has(id);
  const runsFailing = (ids: readonly string[]) => Math.max(0, ...ids.map((id) => report.failedChecks[id] ?? 0));

  const known: KnownFailure[] = [];
  const unexpected: UnexpectedFailure[] = [];
  const judge = (f: FailureReport, flaky: boolean) => {
    const open = f.checkIds.filter((id) => !excused(id));
    if (open.length === 0) {
      known.push({ checkIds: f.checkIds, flaky, entries: wholesale ? [wholesale.text] : f.checkIds.map((id) => byCheck.get(id) ?? id) });
    } else {
      unexpected.push({ checkIds: f.checkIds, unexpectedChecks: open, kind: flaky ? 'flaky' : 'bug', runs: Math.max(f.hits, runsFailing(open)) });
    }
  };
  for (const f of report.failures) judge(f, false);
  for (const f of report.flaky) judge(f, true);
  // Checks that failed in some run but belong to no counterexample (shrinking kept another check of the same run).
  const inCounterexamples = new Set([...report.failures, ...report.flaky].flatMap((f) => f.checkIds));
  for (const [id, runs] of Object.entries(report.failedChecks)) {
    if (runs > 0 && !excused(id) && !inCounterexamples.has(id)) unexpected.push({ checkIds: [id], unexpectedChecks: [id], kind: 'check', runs });
  }

  // A shard saw only its part of the runs (the baseline's schedules run in shard 1): staleness is judged after `dpop-fuzz merge`.
  const staleJudged = (report.stoppedBy === 'completed' || report.stoppedBy === 'time-limit') && report.shard === undefined;
  const stale: StaleEntry[] = [];
  if (staleJudged) {
    const anyFailure = Object.values(report.failedChecks).some((n) => n > 0);
    for (const e of entries) {
      // A failure that depends on timing shows in some runs only: its absence proves nothing.
      if (baseline.intermittent.has(e.text)) continue;
      const failing = e.checkId === null ? anyFailure : (report.failedChecks[e.checkId] ?? 0) > 0;
      if (!failing) stale.push({ entry: e.text, scheduleRan: baseline.schedules.has(e.text) });
    }
  }
  return { file: baseline.file, scenario, known, unexpected, stale, staleJudged, exitCode: unexpected.length > 0 || stale.length > 0 ? 1 : 0 };
}

/** Why stale entries were not judged, in words; null when they were. */
export function staleNotJudgedReason(report: Pick<FuzzReport, 'shard'>, verdict: BaselineVerdict): string | null {
  if (verdict.staleJudged) return null;
  return report.shard ? `this report covers shard ${report.shard.index}/${report.shard.count} only; dpop-fuzz merge judges them` : 'exploration stopped early';
}
