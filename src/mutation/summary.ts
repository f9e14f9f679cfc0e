/**
 * The summary of a mutation run (summary.md and summary.json next to
 * Stryker's HTML and JSON): score per oracle, mutants per selector, the side
 * by side with the official suite, what killed what, and every survivor with
 * its diff and verdict.
 */
import { fencedBlock, formatDuration, inlineCode, markdownText } from '../report/markdown-text.ts';
import type { MutateResult } from './mutate.ts';
import type { ResolvedSelector } from './selectors.ts';
import { isDetected, mutantKey, type MutantStatus, type ReportedMutant } from './stryker-report.ts';
import { mutationCounts, percent, type MutationCounts } from './score.ts';
import type { SurvivorVerdict } from './verdicts.ts';

export interface OracleScore extends MutationCounts {
  readonly oracle: 'dpop-fuzz' | 'official';
  readonly wallMs: number;
  readonly mutantsPerMinute: number;
}

export interface SummaryMutant {
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly selector: string | null;
  readonly mutator: string;
  readonly original: string;
  readonly mutated: string;
  readonly dpopFuzz: { readonly status: MutantStatus; readonly killedBy: readonly string[]; readonly reason: string | null };
  readonly official: { readonly status: MutantStatus; readonly reason: string | null } | null;
  readonly verdict: SurvivorVerdict | null;
}

export interface SideBySide {
  readonly mutants: number;
  readonly killedByOfficial: number;
  readonly killedByDpopFuzz: number;
  readonly killedByBoth: number;
  readonly killedByNeither: number;
  readonly onlyOfficial: number;
  readonly onlyDpopFuzz: number;
  readonly msPerMutant: { readonly official: number; readonly dpopFuzz: number };
}

export interface MutationSummary {
  readonly package: string;
  readonly version: string;
  readonly selectors: readonly { readonly selector: string; readonly file: string; readonly lines: string }[];
  readonly settings: MutateResult['settings'];
  readonly scores: readonly OracleScore[];
  readonly sideBySide: SideBySide | null;
  /** Failure key (check ID or client outcome) → mutants it killed first. */
  readonly killers: Readonly<Record<string, number>>;
  readonly mutants: readonly SummaryMutant[];
}

function selectorOf(selectors: readonly ResolvedSelector[], m: ReportedMutant): string | null {
  const hit = selectors.find((s) => s.file === m.file && (s.lines === null || (m.line >= s.lines.start && m.line <= s.lines.end)));
  return hit?.selector.text ?? null;
}

function score(oracle: OracleScore['oracle'], mutants: readonly ReportedMutant[], wallMs: number, equivalentKeys: ReadonlySet<string>): OracleScore {
  return { oracle, ...mutationCounts(mutants, equivalentKeys), wallMs, mutantsPerMinute: wallMs === 0 ? 0 : Math.round((mutants.length * 600_000) / wallMs) / 10 };
}

/** The first failure key of a kill message (`<key>, <key> — …`). */
export function killingKeys(reason: string | null): string[] {
  if (!reason) return [];
  const head = reason.split(' — ')[0] ?? '';
  return head.split(',').map((k) => k.trim()).filter((k) => /^[\w:/.-]+$/.test(k));
}

export function summarize(result: MutateResult, reports: { dpopFuzz: readonly ReportedMutant[]; official: readonly ReportedMutant[] | null }, verdicts: ReadonlyMap<string, SurvivorVerdict>): MutationSummary {
  const equivalentKeys = new Set([...verdicts].filter(([, v]) => v.verdict === 'equivalent').map(([k]) => k));
  const officialByKey = new Map((reports.official ?? []).map((m) => [mutantKey(m), m]));
  const wall = (oracle: OracleScore['oracle']) => result.runs.find((r) => r.oracle === oracle)?.wallMs ?? 0;
  const scores = [score('dpop-fuzz', reports.dpopFuzz, wall('dpop-fuzz'), equivalentKeys)];
  if (reports.official) scores.push(score('official', reports.official, wall('official'), equivalentKeys));
  const killers: Record<string, number> = {};
  const mutants = reports.dpopFuzz.map((m): SummaryMutant => {
    const key = mutantKey(m);
    const official = officialByKey.get(key);
    if (m.status === 'Killed') for (const k of killingKeys(m.reason).slice(0, 1)) killers[k] = (killers[k] ?? 0) + 1;
    return {
      key,
      file: m.file,
      line: m.line,
      selector: selectorOf(result.selectors, m),
      mutator: m.mutator,
      original: m.original,
      mutated: m.mutated,
      dpopFuzz: { status: m.status, killedBy: m.killedBy, reason: m.reason },
      official: official ? { status: official.status, reason: official.reason } : null,
      verdict: isDetected(m.status) ? null : (verdicts.get(key) ?? null),
    };
  });
  let sideBySide: SideBySide | null = null;
  if (reports.official) {
    const paired = mutants.filter((m) => m.official !== null);
    const byUs = (m: SummaryMutant) => isDetected(m.dpopFuzz.status);
    const byThem = (m: SummaryMutant) => m.official !== null && isDetected(m.official.status);
    const n = paired.length;
    sideBySide = {
      mutants: n,
      killedByOfficial: paired.filter(byThem).length,
      killedByDpopFuzz: paired.filter(byUs).length,
      killedByBoth: paired.filter((m) => byUs(m) && byThem(m)).length,
      killedByNeither: paired.filter((m) => !byUs(m) && !byThem(m)).length,
      onlyOfficial: paired.filter((m) => !byUs(m) && byThem(m)).length,
      onlyDpopFuzz: paired.filter((m) => byUs(m) && !byThem(m)).length,
      msPerMutant: { official: n === 0 ? 0 : Math.round(wall('official') / n), dpopFuzz: n === 0 ? 0 : Math.round(wall('dpop-fuzz') / n) },
    };
  }
  return {
    package: result.pkg.name,
    version: result.pkg.version,
    selectors: result.selectors.map((s) => ({ selector: s.selector.text, file: s.file, lines: s.lines ? `${s.lines.start}-${s.lines.end}` : 'all' })),
    settings: result.settings,
    scores,
    sideBySide,
    killers,
    mutants,
  };
}

/** Source text as an inline code span fit for a table cell (one line, pipes escaped for GFM tables). */
function code(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cut = oneLine.length > 110 ? `${oneLine.slice(0, 107)}…` : oneLine;
  return inlineCode(cut).replace(/\|/g, '\\|');
}

const SURVIVING: readonly MutantStatus[] = ['Survived', 'NoCoverage'];

export function summaryMarkdown(s: MutationSummary): string {
  const out: string[] = [];
  const { settings } = s;
  out.push(`# Mutation testing of ${s.package}@${s.version}`, '');
  out.push(`Oracle: dpop-fuzz, profile ${settings.profile}: ${settings.corpus.length === 0 ? 'no corpus' : `the corpus in ${settings.corpus.map((c) => inlineCode(c)).join(' and ')}`} plus ${settings.runs} generated schedules (seed ${settings.seed}), each mutant's covering schedules run until one shows a failure the unmutated package never showed there (baseline: ${settings.replays} runs per schedule), confirmed by a second run. ${settings.concurrency} Stryker worker(s), ${settings.timeoutMs} ms per client run.`, '');
  out.push('Mutated code (selectors):', '');
  for (const sel of s.selectors) out.push(`- \`${sel.selector}\` → ${sel.file} lines ${sel.lines}`);
  out.push('', '## Score', '');
  out.push('| oracle | mutants | killed | timeout | survived | no coverage | errors | equivalent | score | score (non-equivalent) | time | mutants/min |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const sc of s.scores) out.push(`| ${sc.oracle} | ${sc.mutants} | ${sc.killed} | ${sc.timeout} | ${sc.survived} | ${sc.noCoverage} | ${sc.errors} | ${sc.equivalent} | ${sc.score} % | ${sc.scoreNonEquivalent} % | ${formatDuration(sc.wallMs)} | ${sc.mutantsPerMinute} |`);
  if (s.sideBySide) {
    const b = s.sideBySide;
    out.push('', '## Side by side with the official suite', '');
    out.push('Same mutants; the official oracle is `@modelcontextprotocol/conformance` scenarios `auth/dpop` and `auth/dpop-nonce`.', '');
    out.push('| mutants | killed by official | killed by dpop-fuzz | killed by both | by neither | only official | only dpop-fuzz | time per mutant (official) | time per mutant (dpop-fuzz) |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    out.push(`| ${b.mutants} | ${b.killedByOfficial} | ${b.killedByDpopFuzz} | ${b.killedByBoth} | ${b.killedByNeither} | ${b.onlyOfficial} | ${b.onlyDpopFuzz} | ${formatDuration(b.msPerMutant.official)} | ${formatDuration(b.msPerMutant.dpopFuzz)} |`);
  }
  out.push('', '## Mutants per selector', '', '| selector | mutants | detected | survived | no coverage | score |', '|---|---:|---:|---:|---:|---:|');
  // One row per selector, though one may resolve to several line ranges.
  for (const selector of new Set(s.selectors.map((sel) => sel.selector))) {
    const ms = s.mutants.filter((m) => m.selector === selector);
    const detected = ms.filter((m) => isDetected(m.dpopFuzz.status)).length;
    out.push(`| \`${selector}\` | ${ms.length} | ${detected} | ${ms.filter((m) => m.dpopFuzz.status === 'Survived').length} | ${ms.filter((m) => m.dpopFuzz.status === 'NoCoverage').length} | ${percent(detected, ms.length)} % |`);
  }
  const killers = Object.entries(s.killers).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (killers.length > 0) {
    out.push('', '## What killed the mutants', '', 'The first new failure of the killing run (a check ID, or how the client ended).', '', '| killed by | mutants |', '|---|---:|');
    for (const [k, n] of killers) out.push(`| ${k} | ${n} |`);
  }
  const survivors = s.mutants.filter((m) => SURVIVING.includes(m.dpopFuzz.status));
  out.push('', `## Survivors (${survivors.length})`, '');
  if (survivors.length === 0) out.push('None: every mutant was detected.');
  else {
    out.push('Verdicts come from the verdicts file (`--verdicts`); `?` = not judged yet: equivalent / property-gap / untested.', '');
    out.push('| where | mutator | original → mutated | status | official | verdict | reason |', '|---|---|---|---|---|---|---|');
    for (const m of survivors) {
      out.push(`| ${m.file}:${m.line} | ${m.mutator} | ${code(m.original)} → ${code(m.mutated)} | ${m.dpopFuzz.status} | ${m.official?.status ?? '–'} | ${m.verdict?.verdict ?? '?'} | ${markdownText(m.verdict?.reason ?? '')} |`);
    }
    out.push('', '### Diffs', '');
    for (const m of survivors) {
      const diff = [...m.original.split('\n').map((l) => `- ${l}`), ...m.mutated.split('\n').map((l) => `+ ${l}`)].join('\n');
      out.push(inlineCode(m.key), '', fencedBlock('diff', diff), '');
    }
  }
  const killed = s.mutants.filter((m) => m.dpopFuzz.status === 'Killed');
  if (killed.length > 0) {
    out.push('', '## Killed mutants', '', '| where | mutator | mutated | killed by (schedule) | new failure |', '|---|---|---|---|---|');
    for (const m of killed) out.push(`| ${m.file}:${m.line} | ${m.mutator} | ${code(m.mutated)} | ${markdownText(m.dpopFuzz.killedBy.join(', '))} | ${markdownText(killingKeys(m.dpopFuzz.reason).join(', '))} |`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
