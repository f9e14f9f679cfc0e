import { failureSection } from './failure-section.ts';
import { details, fencedBlock, formatDuration, inlineCode, markdownText, plural } from './markdown-text.ts';
import { statisticsTable } from './statistics-table.ts';
import { staleNotJudgedReason, type BaselineVerdict } from '../baseline/verdict.ts';
import type { FuzzReport } from './types.ts';
import { failureLevel } from './failure-level.ts';

const STOPPED: Readonly<Record<FuzzReport['stoppedBy'], string>> = {
  completed: 'all runs done',
  failure: 'bug limit reached',
  'time-limit': 'time limit',
  interrupted: 'interrupted',
};

function summary(report: FuzzReport): string {
  const client = `${inlineCode(report.client.name)} (${report.client.kind})`;
  const runs = `${report.runs} of ${report.requestedRuns} runs${report.shrinkRuns > 0 ? ` + ${plural(report.shrinkRuns, 'shrink run')}` : ''}`;
  const result = `${plural(report.failures.length, 'distinct bug')}, ${report.flaky.length} flaky`;
  const part = report.shard ? ` · shard ${report.shard.index}/${report.shard.count}` : report.mergedShards ? ` · merged from ${plural(report.mergedShards.length, 'shard')} (${report.mergedShards.join(', ')})` : '';
  return `Client ${client} · seed ${report.seed}${part} · ${runs} · ${formatDuration(report.durationMs)} · stopped: ${STOPPED[report.stoppedBy]} · **${result}**`;
}

function noFailure(report: FuzzReport): string {
  const scope = report.stoppedBy === 'completed' ? '' : ` The fuzzer stopped early (${STOPPED[report.stoppedBy]}), so fewer runs than requested were made.`;
  return `## No failure found\n\nThe client passed every MUST check in ${plural(report.runs, 'run')}.${scope} The statistics below show which server behaviours those runs exercised.`;
}

/** Runs whose client never reached the servers, although other runs did: the URL handed over is the only suspect. */
function crashes(report: FuzzReport): string {
  const examples = report.crashes.schedules.map((s, i) => details(`Schedule of crashed run ${i + 1}`, fencedBlock('json', JSON.stringify(s, null, 2))));
  return [
    '## Runs that never reached the servers',
    `${plural(report.crashes.runs, 'run')} ended before the client's first HTTP request, while other runs worked. Before its first request a client has only seen the MCP URL (path, query, port), so look at how it parses that URL. These runs were not judged.`,
    ...examples,
  ].join('\n\n');
}

/** One line per bug, most severe first: its checks and how many runs hit it. */
function bugIndex(report: FuzzReport): string {
  const lines = report.failures.map((f, i) => {
    return `${i + 1}. ${failureLevel(f)} ${f.checkIds.map((id) => inlineCode(id)).join(', ')}: found at run ${f.foundAtRun}, ${plural(f.hits, 'run')} hit it`;
  });
  return `Each bug is one set of failed checks, shrunk and replayed on its own; runs that failed only the checks of a bug already found were counted against it, not shrunk again.\n\n${lines.join('\n')}`;
}

/** The comparison with `--expected-failures`: known, new and stale, as the official runner words them. */
function baselineSection(v: BaselineVerdict, report: FuzzReport): string {
  const codes = (ids: readonly string[]) => ids.map((id) => inlineCode(id)).join(', ');
  const lines = [
    ...v.unexpected.map((u) => `- **New** ${u.kind === 'check' ? 'check failed without a counterexample of its own' : u.kind === 'flaky' ? 'flaky failure' : 'bug'}: ${codes(u.unexpectedChecks)} (${plural(u.runs, 'run')}); not in the baseline`),
    ...v.stale.map((s) => `- **Stale** ${inlineCode(s.entry)}: failed in no run${s.scheduleRan ? ' (its schedule ran first and passed)' : ''}; remove the entry if the bug was fixed`),
    ...v.known.map((k) => `- Known${k.flaky ? ' (flaky)' : ''}: ${codes(k.checkIds)}`),
  ];
  const verdict = v.exitCode === 0 ? 'Only expected failures: the run passes.' : 'The run fails: a new failure or a stale entry.';
  const reason = staleNotJudgedReason(report, v);
  const scope = reason === null ? '' : ` Stale entries were not judged: ${reason}.`;
  return [`## Expected failures`, `Baseline ${inlineCode(v.file)}, scenario ${inlineCode(v.scenario)}: ${v.known.length} known, ${v.unexpected.length} new, ${v.stale.length} stale. ${verdict}${scope}`, lines.join('\n')].filter(Boolean).join('\n\n');
}

/**
 * `report.md`: the fuzz result for a client maintainer. Each counterexample
 * gets the failed RFC 9449 / SEP-1932 checks, the fix hint, the minimal
 * schedule, a Mermaid sequence diagram of the failing run and the replay
 * command; flaky failures follow the confirmed ones; coverage statistics end
 * the report.
 */
export function renderReportMarkdown(report: FuzzReport): string {
  const sections = [`# ${report.tool.name} ${report.tool.version} report`, summary(report), `Started ${report.startedAt}.`];
  if (report.baseline) sections.push(baselineSection(report.baseline, report));
  if (report.failures.length === 0 && report.flaky.length === 0) sections.push(noFailure(report));
  if (report.failures.length > 0) {
    sections.push(`## Bugs (${report.failures.length})`, bugIndex(report), ...report.failures.map((f, i) => failureSection(f, `Bug ${i + 1}`)));
  }
  if (report.flaky.length > 0) {
    sections.push('## Flaky (did not reproduce on replay)', ...report.flaky.map((f, i) => failureSection(f, `Flaky ${i + 1}`)));
  }
  if (report.crashes.runs > 0) sections.push(crashes(report));
  if (report.warnings.length > 0) sections.push('## Warnings', report.warnings.map((w) => `- ${markdownText(w)}`).join('\n'));
  sections.push('## Statistics', statisticsTable(report.statistics, report.runs));
  return `${sections.join('\n\n')}\n`;
}
