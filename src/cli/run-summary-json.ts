import path from 'node:path';
import type { FuzzReport } from '../report/types.ts';
import { failureLevel } from '../report/failure-level.ts';

/**
 * What `dpop-fuzz run --json` prints on stdout: the run's outcome for a
 * program to read (the whole story stays in report.json). Field names are
 * public API.
 */
export interface RunSummaryJson {
  /** The exit status the run ends with (0 clean, 1 a FAILURE, 130 interrupted). */
  readonly exitCode: number;
  readonly runs: number;
  readonly shrinkRuns: number;
  readonly durationMs: number;
  readonly seed: number;
  readonly stoppedBy: FuzzReport['stoppedBy'];
  /** report.json and report.md of the run. */
  readonly report: { readonly json: string; readonly markdown: string };
  /** Confirmed bugs, most severe first: the checks each fails and how to replay it. */
  readonly bugs: readonly {
    readonly checkIds: readonly string[];
    readonly level: 'FAILURE' | 'WARNING';
    readonly foundAtRun: number;
    readonly hits: number;
    readonly reproduced: number;
    readonly replays: number;
    readonly replayCommand: string;
    readonly corpusFile: string | null;
  }[];
  /** Failures that did not reproduce on replay. */
  readonly flaky: readonly { readonly checkIds: readonly string[]; readonly foundAtRun: number; readonly reproduced: number; readonly replays: number }[];
  /** With --expected-failures: the check sets that are known, new or stale. */
  readonly baseline: { readonly known: number; readonly unexpected: number; readonly stale: number } | null;
  readonly warnings: readonly string[];
}

export function runSummaryJson(report: FuzzReport, outDir: string, exitCode: number): RunSummaryJson {
  return {
    exitCode,
    runs: report.runs,
    shrinkRuns: report.shrinkRuns,
    durationMs: report.durationMs,
    seed: report.seed,
    stoppedBy: report.stoppedBy,
    report: { json: path.join(outDir, 'report.json'), markdown: path.join(outDir, 'report.md') },
    bugs: report.failures.map((f) => ({
      checkIds: f.checkIds,
      level: failureLevel(f),
      foundAtRun: f.foundAtRun,
      hits: f.hits,
      reproduced: f.confirmation.reproduced,
      replays: f.confirmation.replays,
      replayCommand: f.replayCommand,
      corpusFile: f.corpusFile,
    })),
    flaky: report.flaky.map((f) => ({ checkIds: f.checkIds, foundAtRun: f.foundAtRun, reproduced: f.confirmation.reproduced, replays: f.confirmation.replays })),
    baseline: report.baseline ? { known: report.baseline.known.length, unexpected: report.baseline.unexpected.length, stale: report.baseline.stale.length } : null,
    warnings: [...report.warnings, ...(report.crashes.runs > 0 ? [`${report.crashes.runs} run(s) ended before the client's first HTTP request while others worked`] : [])],
  };
}
