import { checkDefinition, isCheckId, type CheckDefinition } from '../checks/registry.ts';
import type { CheckResult } from '../checks/types.ts';
import type { ClientOutcome } from '../trace/types.ts';
import { details, fencedBlock, formatDuration, inlineCode, markdownText, plural } from './markdown-text.ts';
import { sequenceDiagram } from './mermaid.ts';
import { scheduleDiff } from './schedule-diff.ts';
import type { FailureReport } from './types.ts';

const STDERR_LINES = 40;
const STDERR_CHARS = 4000;

function definitionOf(id: string): CheckDefinition | undefined {
  return isCheckId(id) ? checkDefinition(id) : undefined;
}

function evidenceText(result: CheckResult): string {
  return result.evidence.length === 0 ? '' : ` (trace ${result.evidence.map((seq) => `#${seq}`).join(', ')})`;
}

/** The results that made the run a counterexample: FAILUREs, and WARNINGs under `--fail-on warning`. */
function counted(result: CheckResult): boolean {
  return result.status === 'FAILURE' || result.status === 'WARNING';
}

/** One sentence per failed check: its catalogue name and what the judge found. */
function whatBroke(failure: FailureReport): string {
  return failure.checkIds
    .map((id) => {
      const def = definitionOf(id);
      const label = def ? `**${def.name}** (${inlineCode(id)}, ${def.level})` : `**${markdownText(id)}** (not in the catalogue)`;
      const found = failure.results.filter((r) => r.id === id && counted(r));
      if (found.length === 0) return `- ${label}: failed (no result message was recorded).`;
      return found.map((r) => `- ${label}${r.status === 'WARNING' ? ' — WARNING' : ''}: ${markdownText(r.message)}${evidenceText(r)}`).join('\n');
    })
    .join('\n');
}

/** The catalogue's fix hint for each failed check, with its RFC 9449 / SEP-1932 references. */
function howToFix(failure: FailureReport): string {
  const lines = failure.checkIds.flatMap((id) => {
    const def = definitionOf(id);
    if (!def) return [];
    const refs = def.specReferences.map((r) => `[${r.id}](${r.url})`).join(', ');
    return [`- **${def.name}:** ${def.fix} (${refs})`];
  });
  return lines.length > 0 ? lines.join('\n') : '_No fix hint: these checks are not in the catalogue._';
}

function minimalSchedule(failure: FailureReport): string {
  const diff = scheduleDiff(failure.schedule);
  const shown =
    Object.keys(diff).length === 0
      ? 'The shrunk schedule is the default schedule: the client fails without any special server behaviour.'
      : `Only the fields that differ from the default schedule:\n\n${fencedBlock('json', JSON.stringify(diff, null, 2))}`;
  return [
    shown,
    details('Full shrunk schedule', fencedBlock('json', JSON.stringify(failure.schedule, null, 2))),
    details('Schedule as first generated', fencedBlock('json', JSON.stringify(failure.originalSchedule, null, 2))),
  ].join('\n\n');
}

/** The failing run as a Mermaid sequence diagram, the requests the failed checks point at highlighted. */
export function failureDiagram(failure: FailureReport): string {
  const checksBySeq = new Map<number, string[]>();
  for (const result of failure.results) {
    if (!counted(result)) continue;
    for (const seq of result.evidence) checksBySeq.set(seq, [...(checksBySeq.get(seq) ?? []), result.id]);
  }
  const trace = failure.trace;
  const notes: string[] = [];
  if (trace.refused.length > 0) {
    notes.push(`${plural(trace.refused.length, 'request')} never reached a server: the HTTP layer refused ${trace.refused.length === 1 ? 'it' : 'them'} (${trace.refused.map((r) => markdownText(r.reason)).join('; ')}).`);
  }
  if (trace.capped) notes.push('The request cap was reached, so the servers stopped serving.');
  return [
    `Highlighted: the requests the failed checks point at (${trace.entries.length} requests in the trace).`,
    ...notes,
    fencedBlock('mermaid', sequenceDiagram(trace, new Set(checksBySeq.keys()), { checksBySeq })),
  ].join('\n\n');
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  const last = lines.slice(-STDERR_LINES).join('\n');
  return last.length > STDERR_CHARS ? `…${last.slice(-STDERR_CHARS)}` : last;
}

function clientOutcome(outcome: ClientOutcome): string {
  const parts = [
    outcome.exitCode === null ? 'no exit code' : `exit code ${outcome.exitCode}`,
    ...(outcome.signal !== null ? [`signal ${markdownText(outcome.signal)}`] : []),
    ...(outcome.timedOut ? ['timed out'] : []),
    formatDuration(outcome.durationMs),
  ];
  const streams = (['stderr', 'stdout'] as const)
    .filter((name) => outcome[name].trim() !== '')
    .map((name) => details(`${name} (last ${STDERR_LINES} lines)`, fencedBlock('text', tail(outcome[name]))));
  return [`The client ended with ${parts.join(', ')}.`, ...streams].join('\n\n');
}

function reproduce(failure: FailureReport): string {
  const { seed, path, shrinks } = failure.fastCheck;
  return [
    fencedBlock('sh', failure.replayCommand),
    [
      `- Corpus file: ${failure.corpusFile === null ? 'not saved' : inlineCode(failure.corpusFile)}`,
      `- fast-check: ${inlineCode(`{ seed: ${seed}, path: ${JSON.stringify(path)} }`)}`,
      `- Found at run ${failure.foundAtRun}, shrunk in ${plural(shrinks, 'step')}; ${plural(failure.hits, 'run')} failed these checks`,
      `- Confirmation: reproduced in ${failure.confirmation.reproduced}/${failure.confirmation.replays} replays`,
    ].join('\n'),
  ].join('\n\n');
}

/** Why a failure is reported as flaky: the replays of its shrunk schedule did not fail the same checks. */
function flakyEvidence(failure: FailureReport): string {
  const { replays, reproduced } = failure.confirmation;
  return `> **Did not reproduce:** ${reproduced} of ${plural(replays, 'replay')} of the shrunk schedule failed ${failure.checkIds.map((id) => inlineCode(id)).join(', ')}. The failure may depend on timing; the trace below is from the failing run.`;
}

/**
 * One counterexample as Markdown: what broke (RFC 9449 / SEP-1932 checks),
 * how to fix it, the minimal schedule, the sequence diagram and how to replay.
 */
export function failureSection(failure: FailureReport, title: string): string {
  return [
    `### ${title}: ${failure.checkIds.map((id) => inlineCode(id)).join(', ')}`,
    ...(failure.verdict === 'flaky' ? [flakyEvidence(failure)] : []),
    ...(failure.verdict === 'unconfirmed' ? ['> **Not confirmed:** the run was interrupted before this counterexample could be replayed.'] : []),
    '#### What broke',
    whatBroke(failure),
    '#### How to fix',
    howToFix(failure),
    '#### Minimal schedule',
    minimalSchedule(failure),
    '#### Sequence diagram',
    failureDiagram(failure),
    '#### Client outcome',
    clientOutcome(failure.outcome),
    '#### Reproduce',
    reproduce(failure),
  ].join('\n\n');
}
