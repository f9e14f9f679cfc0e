import { failureDiagram } from './failure-section.ts';
import { details, inlineCode, markdownText, plural } from './markdown-text.ts';
import type { FailureReport, FuzzReport } from './types.ts';
import { failureLevel as level } from './failure-level.ts';

/** Sequence diagrams in a job summary (GitHub caps a step's summary at 1 MiB). */
const MAX_DIAGRAMS = 10;

/** Workflow-command data escaping (the runner's rules for messages and for properties). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error` / `::warning` workflow commands: one per new bug (a bug the
 * baseline expects gets none), per flaky failure and per stale baseline entry.
 */
export function githubAnnotations(report: FuzzReport): string[] {
  const known = new Set(report.baseline?.known.map((k) => k.checkIds.join(',')) ?? []);
  const line = (kind: 'error' | 'warning', title: string, message: string) => `::${kind} title=${escapeProperty(`dpop-fuzz: ${title}`)}::${escapeData(message)}`;
  const say = (f: FailureReport) => `${f.results.map((r) => `${r.id}: ${r.message}`).join(' ')} Replay: ${f.replayCommand}`;
  return [
    ...report.failures.filter((f) => !known.has(f.checkIds.join(','))).map((f) => line(level(f) === 'FAILURE' ? 'error' : 'warning', f.checkIds.join(', '), say(f))),
    ...report.flaky.filter((f) => !known.has(f.checkIds.join(','))).map((f) => line('warning', `flaky ${f.checkIds.join(', ')}`, say(f))),
    ...(report.baseline?.stale ?? []).map((s) => line('error', 'stale expected failure', `${s.entry} failed in no run; remove the entry if the bug was fixed`)),
  ];
}

/** The job summary: a table of the bugs and, for each, its sequence diagram (GitHub renders Mermaid). */
export function githubSummary(report: FuzzReport): string {
  const all = [...report.failures, ...report.flaky];
  const head = `## dpop-fuzz: ${plural(report.failures.length, 'bug')}, ${report.flaky.length} flaky — ${inlineCode(report.client.name)}`;
  const facts = `${report.runs} runs (+${report.shrinkRuns} shrink runs), seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s, stopped: ${report.stoppedBy}${report.baseline ? `; baseline: ${report.baseline.known.length} known, ${report.baseline.unexpected.length} new, ${report.baseline.stale.length} stale` : ''}`;
  if (all.length === 0) return [head, facts, 'No failure found.', ''].join('\n\n');
  const rows = all.map((f, i) => `| ${i + 1} | ${f.checkIds.map((id) => inlineCode(id)).join(', ')} | ${f.verdict === 'flaky' ? 'flaky' : level(f)} | ${f.hits} | ${f.foundAtRun} | ${inlineCode(f.replayCommand)} |`);
  const table = ['| # | checks | level | runs hit | found at run | replay |', '|---:|---|---|---:|---:|---|', ...rows].join('\n');
  const diagrams = all.slice(0, MAX_DIAGRAMS).map((f, i) => details(`${i + 1}. ${markdownText(f.checkIds.join(', '))}: sequence diagram`, failureDiagram(f)));
  return [head, facts, table, ...diagrams, ''].join('\n\n');
}
