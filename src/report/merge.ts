import { bugKey } from '../runner/bug-book.ts';
import { scheduleEvents } from '../schedule/complexity.ts';
import type { FailureReport, FuzzReport, StopReason } from './types.ts';

/** Shard reports that do not belong to one sharded run. */
export class MergeError extends Error {
  override readonly name = 'MergeError';
}

/** Crashed-run schedules kept in a merged report, as in one run's. */
const MAX_CRASHED_SCHEDULES = 3;

/** The most telling reason among the shards': Ctrl-C, then the time limit, then the bug limit. */
const STOP_ORDER: readonly StopReason[] = ['interrupted', 'time-limit', 'failure', 'completed'];

function sumCounts(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, n] of Object.entries(r)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/**
 * One failure per set of checks, as within one run (`BugBook`): the smaller
 * schedule (then the earlier shard) stands for it, and the hits of every
 * shard that saw it are added up. A flaky failure another shard confirmed as
 * a bug is that bug.
 */
function mergeFailures(bugs: readonly FailureReport[], flaky: readonly FailureReport[]): { failures: FailureReport[]; flaky: FailureReport[] } {
  const pick = (all: readonly FailureReport[]) => {
    const byKey = new Map<string, FailureReport>();
    for (const f of all) {
      const key = bugKey(f.checkIds);
      const kept = byKey.get(key);
      if (kept === undefined || scheduleEvents(f.schedule) < scheduleEvents(kept.schedule)) byKey.set(key, f);
    }
    return byKey;
  };
  const hits = sumCounts([...bugs, ...flaky].map((f) => ({ [bugKey(f.checkIds)]: f.hits })));
  const confirmed = pick(bugs);
  const unconfirmed = pick(flaky.filter((f) => !confirmed.has(bugKey(f.checkIds))));
  const withHits = (m: Map<string, FailureReport>) => [...m].map(([key, f]) => ({ ...f, hits: hits[key] ?? f.hits }));
  return { failures: withHits(confirmed), flaky: withHits(unconfirmed) };
}

/**
 * The report of a run split with `--shard i/n`, from its shards' reports:
 * runs, coverage, crashes and failed-check counts added up, each bug once.
 * The reports must come from one command line (client, seed, profile, shard
 * count) and cover distinct shards; a missing shard is named in `warnings`.
 */
export function mergeReports(reports: readonly FuzzReport[]): FuzzReport {
  const first = reports[0];
  if (first === undefined) throw new MergeError('no report to merge');
  const shards = reports.map((r, i) => {
    if (!r.shard) throw new MergeError(`report ${i + 1} is not a shard report (no --shard); merge the reports of one run split with --shard i/n`);
    return r.shard;
  });
  const count = shards[0]!.count;
  const same = <T>(what: string, value: (r: FuzzReport) => T) => {
    const other = reports.find((r) => JSON.stringify(value(r)) !== JSON.stringify(value(first)));
    if (other) throw new MergeError(`the reports differ in ${what} (${JSON.stringify(value(first))} and ${JSON.stringify(value(other))}): they are not shards of one run`);
  };
  same('client', (r) => r.client);
  same('seed', (r) => r.seed);
  same('profile', (r) => r.profile ?? 'sep-1932');
  same('shard count', (r) => r.shard?.count);
  same('checks', (r) => r.checks ?? null);
  const indexes = shards.map((s) => s.index).sort((a, b) => a - b);
  const repeated = indexes.find((index, i) => indexes[i - 1] === index);
  if (repeated !== undefined) throw new MergeError(`shard ${repeated}/${count} is given twice`);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !indexes.includes(index));
  const { shard: _shard, ...combined } = combineReports(reports);
  return {
    ...combined,
    mergedShards: indexes,
    warnings: [...(missing.length > 0 ? [`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: their runs are not in this report`] : []), ...combined.warnings],
  };
}

/**
 * The reports of parts of one run that ran side by side (shards on other
 * machines, or threads of one process) as one report: runs, coverage,
 * crashes and failed-check counts added up, each bug once. Client, seed,
 * profile, checks and shard are the first report's; the caller has checked
 * that the parts belong together.
 */
export function combineReports(reports: readonly FuzzReport[]): FuzzReport {
  const first = reports[0];
  if (first === undefined) throw new MergeError('no report to combine');
  const { failures, flaky } = mergeFailures(
    reports.flatMap((r) => r.failures),
    reports.flatMap((r) => r.flaky),
  );
  const severity = (f: FailureReport) => (f.results.some((r) => r.status === 'FAILURE') ? 0 : 1);
  return {
    tool: first.tool,
    client: first.client,
    seed: first.seed,
    ...(first.profile ? { profile: first.profile } : {}),
    ...(first.checks ? { checks: first.checks } : {}),
    requestedRuns: reports.reduce((n, r) => n + r.requestedRuns, 0),
    ...(first.shard ? { shard: first.shard } : {}),
    runs: reports.reduce((n, r) => n + r.runs, 0),
    shrinkRuns: reports.reduce((n, r) => n + r.shrinkRuns, 0),
    startedAt: reports.map((r) => r.startedAt).sort()[0]!,
    // The parts ran side by side: the run took as long as the slowest.
    durationMs: Math.max(...reports.map((r) => r.durationMs)),
    stoppedBy: STOP_ORDER.find((reason) => reports.some((r) => r.stoppedBy === reason)) ?? 'completed',
    maxBugs: first.maxBugs,
    // Most severe first, as in one run's report; the sort is stable, so the parts' order stays within a level.
    failures: failures.sort((a, b) => severity(a) - severity(b)),
    flaky,
    failedChecks: sumCounts(reports.map((r) => r.failedChecks)),
    crashes: { runs: reports.reduce((n, r) => n + r.crashes.runs, 0), schedules: reports.flatMap((r) => r.crashes.schedules).slice(0, MAX_CRASHED_SCHEDULES) },
    warnings: reports.flatMap((r) => r.warnings),
    statistics: Object.fromEntries(
      [...new Set(reports.flatMap((r) => Object.keys(r.statistics)))].map((dimension) => [dimension, sumCounts(reports.map((r) => r.statistics[dimension] ?? {}))]),
    ),
  };
}
