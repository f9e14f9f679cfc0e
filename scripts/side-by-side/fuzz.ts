/**
 * Reading what `dpop-fuzz run` leaves behind: its exit status and
 * report.json (`FuzzReport`, src/report/types.ts). Pure functions.
 *
 * Only the fields the comparison needs are validated, loosely, so the script
 * keeps working while the report grows new fields (e.g. `hits`); a distinct
 * bug is a distinct set of failed check IDs, as the search reports them.
 */
import { z } from 'zod';
import type { FuzzBug, FuzzParse } from './types.ts';

const failureSchema = z.looseObject({
  checkIds: z.array(z.string()),
  verdict: z.string(),
  foundAtRun: z.number().optional(),
  hits: z.number().optional(),
});

const reportSchema = z.looseObject({
  runs: z.number(),
  shrinkRuns: z.number(),
  stoppedBy: z.string(),
  failures: z.array(failureSchema),
  flaky: z.array(failureSchema).default([]),
  crashes: z.looseObject({ runs: z.number() }).optional(),
});

type FailureJson = z.infer<typeof failureSchema>;

function toBug(failure: FailureJson): FuzzBug {
  return {
    // The report's order (the check catalogue's), without repeats.
    checkIds: [...new Set(failure.checkIds)],
    verdict: failure.verdict,
    foundAtRun: failure.foundAtRun ?? null,
    hits: failure.hits ?? null,
  };
}

/** Merges failures with the same check set (the search should not report two, but one row must not show a bug twice). */
function distinct(bugs: readonly FuzzBug[]): FuzzBug[] {
  const byKey = new Map<string, FuzzBug>();
  for (const bug of bugs) {
    const key = [...bug.checkIds].sort().join(' ');
    if (!byKey.has(key)) byKey.set(key, bug);
  }
  return [...byKey.values()];
}

export interface FuzzRunOutput {
  readonly exitCode: number | null;
  /** Parsed report.json, or null when it is missing or not JSON. */
  readonly report: unknown;
  /** The tool's stderr, for the reason of an error. */
  readonly stderr: string;
}

const EMPTY: Omit<FuzzParse, 'error'> = { bugs: [], flaky: [], runs: 0, shrinkRuns: 0, stoppedBy: 'none', crashedRuns: 0 };

/** Last non-blank stderr line: dpop-fuzz prints its error there as `dpop-fuzz: …`. */
function reason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.findLast((l) => l.startsWith('dpop-fuzz:') || /error/i.test(l)) ?? lines.at(-1) ?? 'no output';
}

/**
 * The findings of one run. Exit 0 or 1 with a readable report are findings
 * (1 just means something was found); anything else (2 usage or
 * infrastructure error, 130 interrupted, a signal, no report) is an error.
 */
export function parseFuzzRun(run: FuzzRunOutput): FuzzParse {
  if (run.exitCode !== 0 && run.exitCode !== 1) {
    return { ...EMPTY, error: `dpop-fuzz exit ${run.exitCode ?? 'signal'}: ${reason(run.stderr)}` };
  }
  const parsed = reportSchema.safeParse(run.report);
  if (!parsed.success) {
    const why = run.report === null ? 'no report.json' : 'report.json has an unexpected shape';
    return { ...EMPTY, error: `dpop-fuzz exit ${run.exitCode}: ${why}` };
  }
  const report = parsed.data;
  return {
    bugs: distinct(report.failures.map(toBug)),
    flaky: distinct(report.flaky.map(toBug)),
    runs: report.runs,
    shrinkRuns: report.shrinkRuns,
    stoppedBy: report.stoppedBy,
    crashedRuns: report.crashes?.runs ?? 0,
    error: null,
  };
}
