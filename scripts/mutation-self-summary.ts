/**
 * The summary of `npm run mutation` (Stryker on our own judge, DPoP helpers
 * and the reference client's DPoP modules): the score per part and in all,
 * every survivor with its verdict from stryker.verdicts.yml, and the
 * survivors nobody has explained yet. Written to
 * reports/mutation-self/summary.md and printed.
 *
 *   npm run mutation                       # Stryker, then this summary
 *   npm run mutation:summary               # the summary of the last report
 *   npm run mutation:summary -- a.json b.json   # reports of separate parts, merged
 *
 * A report's mutants of a file count only while the file reads as the report
 * saw it: mutants of code that has changed since are left out, and a file no
 * report saw as it is now is listed to be mutated again.
 *
 * Exit status: 0 every survivor has a verdict, no mutated file has changed
 * since its last run and the score (equivalent mutants left out) is at least
 * 90 %; 1 otherwise; 2 a report or the verdicts file cannot be read.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MutationError } from '../src/mutation/errors.ts';
import { mutationCounts, type MutationCounts } from '../src/mutation/score.ts';
import { mutantKey, readStrykerReportWithSources } from '../src/mutation/stryker-report.ts';
import type { ReportedMutant } from '../src/mutation/stryker-report.ts';
import { loadVerdicts } from '../src/mutation/verdicts.ts';
import type { SurvivorVerdict } from '../src/mutation/verdicts.ts';

/** The score `npm run mutation` must reach, equivalent mutants left out (issue acceptance). */
export const TARGET_SCORE = 90;

/** The parts of our own code that are mutated, as the README's table names them. */
export const PARTS = ['src/checks/', 'src/dpop/', 'src/clients/'] as const;

export interface PartScore extends MutationCounts {
  readonly part: string;
}

export interface SelfSummary {
  readonly parts: readonly PartScore[];
  readonly total: PartScore;
  readonly survivors: readonly { readonly key: string; readonly mutant: ReportedMutant; readonly verdict: SurvivorVerdict | null }[];
  /** Files mutated by some report but changed since every report that mutated them: run Stryker on them again. */
  readonly outdated: readonly string[];
  /** Verdicts that match no survivor (the code changed, or the mutant is killed now). */
  readonly stale: readonly string[];
}

function score(part: string, mutants: readonly ReportedMutant[], equivalentKeys: ReadonlySet<string>): PartScore {
  return { part, ...mutationCounts(mutants, equivalentKeys) };
}

/** A mutant's identity across reports: its key plus where it ends (two mutants may share a start, a mutator and a replacement). */
const identity = (m: ReportedMutant): string => `${mutantKey(m)} ..${m.end.line}:${m.end.column}`;

/** One report: its mutants and the source of each file it mutated. */
export interface SelfReport {
  readonly mutants: readonly ReportedMutant[];
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * The mutants of each report that describe the code as it is now (`current`
 * gives a file's text, null when it is gone), and the files some report
 * mutated that no report saw as they are now.
 */
export function currentMutants(reports: readonly SelfReport[], current: (file: string) => string | null): { mutants: ReportedMutant[][]; outdated: string[] } {
  const upToDate = (report: SelfReport, file: string): boolean => {
    const now = current(file);
    return now !== null && report.sources.get(file) === now;
  };
  const mutated = new Set(reports.flatMap((r) => [...r.sources.keys()]));
  return {
    mutants: reports.map((r) => r.mutants.filter((m) => upToDate(r, m.file))),
    outdated: [...mutated].filter((file) => current(file) !== null && !reports.some((r) => r.sources.has(file) && upToDate(r, file))).sort(),
  };
}

/** Scores and survivors of the mutants of one or more reports (the same mutant in two reports counts once, the later report wins). */
export function summarizeSelf(reports: readonly (readonly ReportedMutant[])[], verdicts: ReadonlyMap<string, SurvivorVerdict>, outdated: readonly string[] = []): SelfSummary {
  const byIdentity = new Map<string, ReportedMutant>();
  for (const report of reports) for (const m of report) byIdentity.set(identity(m), m);
  const mutants = [...byIdentity.values()];
  const survivors = mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .map((mutant) => ({ key: mutantKey(mutant), mutant, verdict: verdicts.get(mutantKey(mutant)) ?? null }));
  const surviving = new Set(survivors.map((s) => s.key));
  const equivalentKeys = new Set([...verdicts].filter(([, v]) => v.verdict === 'equivalent').map(([k]) => k));
  // A verdict is stale only for a file these reports mutated: a partial run says nothing about the others.
  const mutatedFiles = new Set(mutants.map((m) => m.file));
  return {
    parts: PARTS.map((part) => score(part, mutants.filter((m) => m.file.startsWith(part)), equivalentKeys)).filter((p) => p.mutants > 0),
    total: score('total', mutants, equivalentKeys),
    survivors,
    outdated: [...outdated],
    stale: [...verdicts.keys()].filter((key) => !surviving.has(key) && mutatedFiles.has(key.slice(0, key.indexOf(':')))),
  };
}

/** Whether the run meets the bar: every survivor explained, no mutated file changed since, the score reached. */
export function passes(s: SelfSummary): boolean {
  return s.survivors.every((x) => x.verdict !== null) && s.outdated.length === 0 && s.total.scoreNonEquivalent >= TARGET_SCORE;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function selfSummaryMarkdown(s: SelfSummary): string {
  const row = (p: PartScore): string =>
    `| ${p.part} | ${p.mutants} | ${p.errors} | ${p.killed + p.timeout} | ${p.survived} | ${p.noCoverage} | ${p.equivalent} | ${p.score} % | ${p.scoreNonEquivalent} % |`;
  const unexplained = s.survivors.filter((x) => x.verdict === null);
  const lines = [
    '# Mutation score of our own code',
    '',
    '| part | mutants | errors | detected | survived | no coverage | equivalent | score | score without equivalent |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...s.parts.map(row),
    row(s.total).replace('| total |', '| **total** |'),
    '',
    `Target: ${TARGET_SCORE} % without equivalent mutants, every survivor explained: ${passes(s) ? 'met' : 'NOT met'}.`,
    '',
    `## Survivors without a verdict (${unexplained.length})`,
    '',
    ...(unexplained.length === 0
      ? ['None.']
      : ['Add each to stryker.verdicts.yml (equivalent / untested, with the reason) or kill it with a test.', '', ...unexplained.map((x) => `- \`${x.key}\`: \`${cell(x.mutant.mutated.trim())}\``)]),
    '',
    `## Survivors with a verdict (${s.survivors.length - unexplained.length})`,
    '',
    '| mutant | verdict | reason |',
    '|---|---|---|',
    ...s.survivors.filter((x) => x.verdict !== null).map((x) => `| \`${cell(x.key)}\` | ${x.verdict?.verdict} | ${cell(x.verdict?.reason ?? '')} |`),
  ];
  if (s.outdated.length > 0) {
    lines.push('', `## Files changed since their last mutation run (${s.outdated.length})`, '', 'Their mutants are left out above; run Stryker on them again:', '', ...s.outdated.map((file) => `- \`${file}\``));
  }
  if (s.stale.length > 0) {
    lines.push('', `## Verdicts for mutants that no longer survive (${s.stale.length})`, '', 'Remove them from stryker.verdicts.yml:', '', ...s.stale.map((key) => `- \`${key}\``));
  }
  return `${lines.join('\n')}\n`;
}

async function main(args: readonly string[]): Promise<number> {
  const files = args.length > 0 ? args : ['reports/mutation-self/mutation.json'];
  try {
    const reports: SelfReport[] = await Promise.all(files.map((file) => readStrykerReportWithSources(file, '')));
    const texts = new Map<string, string | null>();
    for (const file of new Set(reports.flatMap((r) => [...r.sources.keys()]))) texts.set(file, await readFile(file, 'utf8').catch(() => null));
    const { mutants, outdated } = currentMutants(reports, (file) => texts.get(file) ?? null);
    const verdicts = await loadVerdicts('stryker.verdicts.yml');
    const summary = summarizeSelf(mutants, verdicts, outdated);
    const markdown = selfSummaryMarkdown(summary);
    const out = path.join('reports', 'mutation-self', 'summary.md');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, markdown);
    process.stdout.write(`${markdown}\nwritten to ${out}\n`);
    return passes(summary) ? 0 : 1;
  } catch (error) {
    if (error instanceof MutationError) {
      process.stderr.write(`mutation summary: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
