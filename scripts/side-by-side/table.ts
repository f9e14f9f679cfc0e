/**
 * The Markdown report of the side-by-side comparison: a header naming what
 * ran, one table row per client, and a summary of which broken clients each
 * tool catches. Pure functions of `SideBySideReport`.
 */
import type { ClientResult, FuzzBug, FuzzResult, OfficialResult, OfficialScenarioResult, RunMeta, SideBySideReport } from './types.ts';

const CHECK_PREFIX = 'sep-1932-client-';

/** A check ID without the `sep-1932-client-` prefix both tools share. */
export function shortCheckId(id: string): string {
  return id.startsWith(CHECK_PREFIX) ? id.slice(CHECK_PREFIX.length) : id;
}

/** `850 ms`, `42.3 s`, `3 min 07 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** A table cell: `|` would end the cell and a newline the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function checkList(ids: readonly string[]): string {
  return ids.map(shortCheckId).join(', ');
}

/** `PASS`, `FAIL: rs-nonce`, `FAIL: client exit 1`, `ERROR: …`. */
export function formatScenario(result: OfficialScenarioResult | undefined): string {
  if (!result) return '—';
  if (result.verdict === 'ERROR') return `ERROR: ${result.error ?? 'unknown'}`;
  if (result.verdict === 'PASS') return 'PASS';
  const reasons: string[] = [];
  if (result.failedChecks.length > 0) reasons.push(checkList(result.failedChecks));
  if (result.warningChecks.length > 0) reasons.push(`warnings: ${checkList(result.warningChecks)}`);
  if (result.clientTimedOut) reasons.push('client timed out');
  else if (result.clientExitCode !== null) reasons.push(`client exit ${result.clientExitCode}`);
  return reasons.length > 0 ? `FAIL: ${reasons.join('; ')}` : 'FAIL';
}

/** One bug as its check set: `ath` or `dpop-auth-scheme + fresh-proof`. */
export function formatBug(bug: FuzzBug): string {
  const ids = bug.checkIds.map(shortCheckId).join(' + ');
  return bug.verdict === 'bug' ? ids : `${ids} (${bug.verdict})`;
}

/** The bugs cell: each distinct bug separated by `;`, flaky ones marked, or `none`. */
export function formatFuzzBugs(fuzz: FuzzResult): string {
  if (fuzz.error !== null) return `ERROR: ${fuzz.error}`;
  const parts = fuzz.bugs.map(formatBug);
  if (fuzz.flaky.length > 0) parts.push(`flaky: ${fuzz.flaky.map(formatBug).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

/** True when the official suite failed the client on some scenario (ERRORs say nothing). */
export function officialCatches(official: OfficialResult | null): boolean {
  return official?.scenarios.some((s) => s.verdict === 'FAIL') ?? false;
}

/** True when dpop-fuzz reported at least one non-flaky bug. */
export function fuzzCatches(fuzz: FuzzResult): boolean {
  return fuzz.error === null && fuzz.bugs.length > 0;
}

/** The cells of one client's row: name, one cell per scenario (looked up by name), times and bugs. */
export function rowCells(result: ClientResult, scenarios: readonly string[]): string[] {
  const official = result.official;
  const scenarioCells = scenarios.map((s) => (official ? formatScenario(official.scenarios.find((r) => r.scenario === s)) : 'skipped'));
  return [
    `\`${result.client.name}\``,
    ...scenarioCells,
    official ? formatDuration(official.wallMs) : '—',
    formatFuzzBugs(result.fuzz),
    formatDuration(result.fuzz.wallMs),
  ];
}

export function markdownTable(report: SideBySideReport): string {
  const scenarios = report.meta.scenarios;
  const header = ['client', ...scenarios.map((s) => `official ${s}`), 'official time', 'dpop-fuzz bugs (check IDs)', 'dpop-fuzz time'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const result of report.clients) lines.push(`| ${rowCells(result, scenarios).map(cell).join(' | ')} |`);
  return lines.join('\n');
}

export interface CatchSummary {
  readonly broken: number;
  readonly official: number;
  readonly fuzz: number;
  readonly both: number;
  readonly onlyOfficial: readonly string[];
  readonly onlyFuzz: readonly string[];
  readonly neither: readonly string[];
}

/** Which broken clients each tool catches. */
export function catchSummary(clients: readonly ClientResult[]): CatchSummary {
  const broken = clients.filter((c) => c.client.kind === 'broken');
  const by = (official: boolean, fuzz: boolean) =>
    broken.filter((c) => officialCatches(c.official) === official && fuzzCatches(c.fuzz) === fuzz).map((c) => c.client.name);
  return {
    broken: broken.length,
    official: broken.filter((c) => officialCatches(c.official)).length,
    fuzz: broken.filter((c) => fuzzCatches(c.fuzz)).length,
    both: by(true, true).length,
    onlyOfficial: by(true, false),
    onlyFuzz: by(false, true),
    neither: by(false, false),
  };
}

function names(list: readonly string[]): string {
  return list.length > 0 ? ` (${list.map((n) => n.replace(/^broken\//, '')).join(', ')})` : '';
}

/** Summary lines under the table. */
export function summaryLines(report: SideBySideReport): string[] {
  const s = catchSummary(report.clients);
  const skipped = report.meta.officialPackage === null;
  const official = skipped ? 'official suite skipped' : `official suite ${s.official}/${s.broken}`;
  const lines = [
    `**Broken clients caught:** ${official}, dpop-fuzz ${s.fuzz}/${s.broken}.`,
    skipped
      ? ''
      : `Both: ${s.both}; only dpop-fuzz: ${s.onlyFuzz.length}${names(s.onlyFuzz)}; only the official suite: ${s.onlyOfficial.length}${names(s.onlyOfficial)}; neither: ${s.neither.length}${names(s.neither)}.`,
  ];
  const falseAlarms = report.clients.filter((c) => c.client.kind === 'reference' && (officialCatches(c.official) || fuzzCatches(c.fuzz)));
  if (falseAlarms.length > 0) lines.push(`**The conformant reference client was failed** (${falseAlarms.map((c) => c.client.name).join(', ')}): see its row.`);
  const errors = report.clients.filter((c) => c.fuzz.error !== null || c.official?.scenarios.some((r) => r.verdict === 'ERROR'));
  if (errors.length > 0) lines.push(`**Tool errors** (no verdict) for: ${errors.map((c) => c.client.name).join(', ')}.`);
  return lines.filter((l) => l !== '');
}

/** `- \`client\` (auth/dpop, auth/dpop-nonce): exit 1: <its last stderr line>`, one per client and distinct message. */
function clientErrorNote(result: ClientResult): string[] {
  const byMessage = new Map<string, string[]>();
  for (const s of result.official?.scenarios ?? []) {
    if (s.clientError === null) continue;
    const how = s.clientTimedOut ? 'timed out' : `exit ${s.clientExitCode ?? '?'}`;
    const key = `${how}: ${s.clientError}`;
    byMessage.set(key, [...(byMessage.get(key) ?? []), s.scenario]);
  }
  return [...byMessage].map(([message, scenarios]) => `- \`${result.client.name}\` (${scenarios.join(', ')}): ${message}`);
}

/**
 * Why clients stopped early under the official suite: a scenario a client
 * abandons also fails the checks it never reached, so the client's own error
 * tells a DPoP finding from, say, a registration response the client refuses.
 */
export function noteLines(report: SideBySideReport): string[] {
  const errors = report.clients.flatMap(clientErrorNote);
  const crashes = report.clients
    .filter((c) => c.fuzz.crashedRuns > 0)
    .map((c) => `- \`${c.client.name}\`: ${c.fuzz.crashedRuns} dpop-fuzz run(s) ended before the client's first request (not judged)`);
  const lines: string[] = [];
  if (errors.length > 0) lines.push('', "**Clients that exited non-zero under the official suite** (their last stderr line; the checks a client never reached fail too):", '', ...errors);
  if (crashes.length > 0) lines.push('', '**dpop-fuzz runs that never reached the servers:**', '', ...crashes);
  return lines;
}

function headerLines(meta: RunMeta): string[] {
  const official = meta.officialPackage
    ? `\`${meta.officialPackage}\` on Node ${meta.officialNode ?? '?'}, client scenarios ${meta.scenarios.map((s) => `\`${s}\``).join(', ')}`
    : 'skipped (`SKIP_OFFICIAL=1`)';
  const corpus = meta.corpusSchedules > 0 ? `the ${meta.corpusSchedules} hand-picked corpus schedules first` : 'no corpus';
  return [
    '# Official MCP conformance suite vs dpop-fuzz, side by side',
    '',
    `- **Started:** ${meta.date}; **machine:** ${meta.cores} cores (${meta.cpuModel}), ${meta.platform}`,
    `- **Official suite:** ${official}`,
    `- **dpop-fuzz:** mcp-dpop-fuzz ${meta.fuzzVersion} on Node ${meta.fuzzNode}: \`dpop-fuzz run ${meta.fuzzFlags}\` (seed ${meta.seed}, ${meta.runs} runs, ${corpus})`,
    `- **Clients:** ${meta.clientsFilter ? `filtered by ${meta.clientsFilter.map((f) => `\`${f}\``).join(', ')}` : 'all'}, ${meta.concurrency} at a time; times are each tool's wall-clock time for that client, under that shared load`,
    `- **Whole run:** ${formatDuration(meta.totalWallMs)}; 1-minute load average ${meta.loadAverage[0].toFixed(1)} at the start, ${meta.loadAverage[1].toFixed(1)} at the end`,
    '',
    'Official cells: the suite\'s verdict and the IDs of the checks it printed as FAILURE (its verdict also fails a scenario on a warning or a non-zero client exit). dpop-fuzz cells: each distinct bug it reported, as the set of check IDs its shrunk counterexample fails (`;` between bugs). Check IDs without the `sep-1932-client-` prefix.',
  ];
}

/** The whole Markdown document. */
export function markdownReport(report: SideBySideReport): string {
  return [...headerLines(report.meta), '', markdownTable(report), '', ...summaryLines(report), ...noteLines(report), ''].join('\n');
}
