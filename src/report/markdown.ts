import { failureSection } from './failure-section.ts';
import { details, fencedBlock, formatDuration, inlineCode, markdownText, plural } from './markdown-text.ts';
import { statisticsTable } from './statistics-table.ts';
import type { FuzzReport } from './types.ts';

const STOPPED: Readonly<Record<FuzzReport['stoppedBy'], string>> = {
  completed: 'all runs done',
  failure: 'failure found',
  'time-limit': 'time limit',
  interrupted: 'interrupted',
};

function summary(report: FuzzReport): string {
  const client = `${inlineCode(report.client.name)} (${report.client.kind})`;
  const runs = `${report.runs} of ${report.requestedRuns} runs${report.shrinkRuns > 0 ? ` + ${plural(report.shrinkRuns, 'shrink run')}` : ''}`;
  const result = `${plural(report.failures.length, 'bug')}, ${report.flaky.length} flaky`;
  return `Client ${client} · seed ${report.seed} · ${runs} · ${formatDuration(report.durationMs)} · stopped: ${STOPPED[report.stoppedBy]} · **${result}**`;
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

/**
 * `report.md`: the fuzz result for a client maintainer. Each counterexample
 * gets the failed RFC 9449 / SEP-1932 checks, the fix hint, the minimal
 * schedule, a Mermaid sequence diagram of the failing run and the replay
 * command; flaky failures follow the confirmed ones; coverage statistics end
 * the report.
 */
export function renderReportMarkdown(report: FuzzReport): string {
  const sections = [`# ${report.tool.name} ${report.tool.version} report`, summary(report), `Started ${report.startedAt}.`];
  if (report.failures.length === 0 && report.flaky.length === 0) sections.push(noFailure(report));
  if (report.failures.length > 0) {
    sections.push(`## Bugs (${report.failures.length})`, ...report.failures.map((f, i) => failureSection(f, `Bug ${i + 1}`)));
  }
  if (report.flaky.length > 0) {
    sections.push('## Flaky (did not reproduce on replay)', ...report.flaky.map((f, i) => failureSection(f, `Flaky ${i + 1}`)));
  }
  if (report.crashes.runs > 0) sections.push(crashes(report));
  if (report.warnings.length > 0) sections.push('## Warnings', report.warnings.map((w) => `- ${markdownText(w)}`).join('\n'));
  sections.push('## Statistics', statisticsTable(report.statistics, report.runs));
  return `${sections.join('\n\n')}\n`;
}
