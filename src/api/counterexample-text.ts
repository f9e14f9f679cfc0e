import { checkDefinition, isCheckId } from '../checks/registry.ts';
import { offendingClaim } from '../report/offending-claim.ts';
import { scheduleDiff } from '../report/schedule-diff.ts';
import type { FailureReport, FuzzReport } from '../report/types.ts';
import type { Trace } from '../trace/types.ts';
import { failureLevel } from '../report/failure-level.ts';

/** How to replay one counterexample, given where it was saved. */
export type ReplayHint = (failure: FailureReport) => readonly string[];

/** The request behind one piece of evidence: method, path, status and the claim at fault. */
function evidenceLine(checkId: string, seq: number, trace: Trace): string {
  const entry = trace.entries.find((e) => e.seq === seq);
  if (entry === undefined) return `#${seq}`;
  return `#${seq} ${entry.method} ${new URL(entry.url).pathname} → ${entry.status}: ${offendingClaim(checkId, entry)}`;
}

/** One counterexample as plain text: the checks with their evidence, the minimal schedule, how to replay it. */
function failureText(failure: FailureReport, tag: string, replay: ReplayHint): string[] {
  const lines = [
    `${tag} ${failure.checkIds.join(', ')} (found at run ${failure.foundAtRun}, ${failure.fastCheck.shrinks} shrinks, reproduced ${failure.confirmation.reproduced}/${failure.confirmation.replays})`,
  ];
  for (const r of failure.results) {
    const def = isCheckId(r.id) ? checkDefinition(r.id) : undefined;
    lines.push(`  ${r.id}${def ? ` — ${def.name} (${def.level})` : ''}${r.status === 'WARNING' ? ' WARNING' : ''}: ${r.message}`);
    for (const seq of r.evidence) lines.push(`    ${evidenceLine(r.id, seq, failure.trace)}`);
  }
  const diff = scheduleDiff(failure.schedule);
  lines.push(Object.keys(diff).length === 0 ? '  shrunk schedule: the default schedule' : `  shrunk schedule (what differs from the default): ${JSON.stringify(diff)}`);
  for (const line of replay(failure)) lines.push(`  ${line}`);
  return lines;
}

/**
 * A fuzzing report's failures as a test failure message: for each bug the
 * failed checks and what the judge found, the requests it points at, the
 * shrunk schedule and how to replay it; then the flaky findings.
 */
export function counterexampleText(report: FuzzReport, replay: ReplayHint): string {
  const head = `${report.client.name} failed DPoP fuzzing: ${report.failures.length} bug(s)${report.flaky.length > 0 ? ` and ${report.flaky.length} flaky failure(s)` : ''} in ${report.runs} runs (seed ${report.seed})`;
  return [
    head,
    ...report.failures.flatMap((f) => ['', ...failureText(f, failureLevel(f), replay)]),
    ...report.flaky.flatMap((f) => ['', ...failureText(f, 'FLAKY', replay)]),
  ].join('\n');
}
