import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ensureDir, writeJson, writeFileAtomic } from '../../io/atomic-file.ts';
import { DEFAULT_PACKAGE, DEFAULT_SELECTORS } from '../../mutation/package-defaults.ts';
import { mutatePackage } from '../../mutation/mutate.ts';
import { readStrykerReport } from '../../mutation/stryker-report.ts';
import { summarize, summaryMarkdown } from '../../mutation/summary.ts';
import { loadVerdicts, type SurvivorVerdict } from '../../mutation/verdicts.ts';
import { intFlag, parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';
import { parseProfile } from './check.ts';
import type { OracleClientSpec } from '../../mutation/oracle-plan.ts';
import { formatDuration } from '../../report/markdown-text.ts';

export const DEFAULT_MUTATION_RUNS = 50;
export const DEFAULT_MUTATION_SEED = 1932;

export const MUTATE_HELP = `Usage: dpop-fuzz mutate (--module <path> | --command "<cmd>")... [options]

Mutation-tests the DPoP code of an installed npm package with dpop-fuzz as
the oracle (Stryker, on a temporary copy of the package: the installed one
is never touched). Each mutant is killed when a run of the client against
one of the oracle's schedules fails a check (or crashes, or times out) that
the unmutated package never failed under that schedule, twice in a row.
Writes Stryker's HTML and JSON, summary.md and summary.json to --out.

Client (one or more, each run against every schedule; each must import the
package: give several to cover several ways of using it):
  --module <path>        JS/TS module exporting runClient(serverUrl, options),
                         run in-process (fast; per-schedule coverage);
                         repeatable
  --command "<cmd>"      a Node.js command client (conformance contract); it
                         loads the mutated copy through NODE_OPTIONS;
                         repeatable

Options:
  --package <name>       npm package to mutate (default: ${DEFAULT_PACKAGE})
  --mutate <selector>    what to mutate, repeatable: <file>, <file>:<a>-<b>
                         (lines) or <file>#<name> (a //#region of a bundle, or
                         a function/class/variable declaration); '*' allowed
                         in the file name. Default for ${DEFAULT_PACKAGE}:
                         ${(DEFAULT_SELECTORS[DEFAULT_PACKAGE] ?? []).join('\n                         ')}
  --runs <n>             generated schedules in the oracle (default: ${DEFAULT_MUTATION_RUNS})
  --seed <n>             their fast-check seed (default: ${DEFAULT_MUTATION_SEED}, fixed)
  --corpus <dir>         corpus schedules run first, repeatable (default:
                         corpus)
  --no-corpus            generated schedules only
  --replays <n>          baseline runs per schedule on the unmutated package
                         (default: 2)
  --concurrency <n>      Stryker workers (default: CPU count)
  --timeout <ms>         per client run (default: 10000)
  --profile <name>       sep-1932 (default) or rfc9449
  --fail-on <level>      failure (default) or warning: WARNINGs kill too
  --official             also score the same mutants with the official
                         conformance suite (auth/dpop, auth/dpop-nonce; Node 22
                         via npx) and write the side-by-side table
  --official-command "<cmd>"
                         the client command for the official suite (default:
                         the first --command, or run.mjs next to the first
                         --module)
  --verdicts <file>      YAML verdicts on survivors (equivalent, property-gap,
                         untested) shown in the summary; equivalent ones are
                         left out of the non-equivalent score
  --break <pct>          exit 1 when the non-equivalent score is below pct
  --out <dir>            report folder (default: reports/mutation)
  --keep-work            keep the temporary work directory (debugging)
  --quiet                no progress

Exit status: 0 done (and the score reaches --break), 1 score below --break,
2 usage or infrastructure error.`;

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export async function mutateCommand(args: readonly string[], signal: AbortSignal): Promise<number> {
  const flags = parseFlags('mutate', args, {
    command: { type: 'string', multiple: true },
    module: { type: 'string', multiple: true },
    package: { type: 'string' },
    mutate: { type: 'string', multiple: true },
    runs: { type: 'string' },
    seed: { type: 'string' },
    corpus: { type: 'string', multiple: true },
    'no-corpus': { type: 'boolean' },
    replays: { type: 'string' },
    concurrency: { type: 'string' },
    timeout: { type: 'string' },
    profile: { type: 'string' },
    'fail-on': { type: 'string' },
    official: { type: 'boolean' },
    'official-command': { type: 'string' },
    verdicts: { type: 'string' },
    break: { type: 'string' },
    out: { type: 'string' },
    'keep-work': { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  const modules = flags.module ?? [];
  const commands = flags.command ?? [];
  if (modules.length + commands.length === 0) throw new UsageError('mutate needs a client: --module <path> or --command "<cmd>"');
  if (commands.some((c) => c.trim() === '')) throw new UsageError('--command must not be empty');
  const packageName = flags.package ?? DEFAULT_PACKAGE;
  const selectors = flags.mutate ?? DEFAULT_SELECTORS[packageName];
  if (!selectors || selectors.length === 0) throw new UsageError(`no default selectors for ${packageName}: say what to mutate with --mutate <file>[#name|:a-b]`);
  const failOn = flags['fail-on'] ?? 'failure';
  if (failOn !== 'failure' && failOn !== 'warning') throw new UsageError(`--fail-on must be failure or warning, got ${JSON.stringify(failOn)}`);
  if (flags['no-corpus'] && flags.corpus !== undefined) throw new UsageError('give --corpus <dir> or --no-corpus, not both');
  const runs = intFlag('runs', flags.runs, DEFAULT_MUTATION_RUNS, 0);
  const seed = intFlag('seed', flags.seed, DEFAULT_MUTATION_SEED, 0);
  const breakAt = flags.break === undefined ? null : Number(flags.break);
  if (breakAt !== null && !(breakAt >= 0 && breakAt <= 100)) throw new UsageError(`--break must be a percentage from 0 to 100, got ${JSON.stringify(flags.break)}`);
  const clients: OracleClientSpec[] = [];
  for (const module of modules) {
    const modulePath = path.resolve(module);
    if (!(await exists(modulePath))) throw new UsageError(`client module not found: ${module}`);
    clients.push({ kind: 'module', path: modulePath });
  }
  for (const command of commands) clients.push({ kind: 'command', command });
  // The official suite runs one client command: the first --command, else run.mjs next to the first module.
  let officialCommand: string | null = flags['official-command'] ?? commands[0] ?? null;
  const runner = modules[0] === undefined ? null : path.join(path.dirname(path.resolve(modules[0])), 'run.mjs');
  if (officialCommand === null && runner !== null && (await exists(runner))) officialCommand = `node ${runner}`;
  const verdicts: Map<string, SurvivorVerdict> = flags.verdicts ? await loadVerdicts(flags.verdicts) : new Map();
  const outDir = path.resolve(flags.out ?? path.join('reports', 'mutation'));
  const quiet = flags.quiet ?? false;
  const log = (line: string) => {
    if (!quiet) process.stderr.write(`dpop-fuzz: ${line}\n`);
  };
  const started = performance.now();
  const result = await mutatePackage({
    packageName,
    selectors,
    clients,
    officialCommand,
    corpusDirs: flags['no-corpus'] ? [] : (flags.corpus ?? ['corpus']),
    runs,
    seed,
    replays: intFlag('replays', flags.replays, 2),
    judge: { profile: parseProfile(flags.profile) },
    failOn,
    timeoutMs: intFlag('timeout', flags.timeout, 10_000, 100),
    concurrency: intFlag('concurrency', flags.concurrency, availableParallelism()),
    outDir,
    official: flags.official ?? false,
    keepWork: flags['keep-work'] ?? false,
    signal,
    log,
    ...(quiet ? {} : { onStrykerOutput: (chunk: string) => process.stderr.write(chunk) }),
  });
  const ours = result.runs.find((r) => r.oracle === 'dpop-fuzz');
  const theirs = result.runs.find((r) => r.oracle === 'official');
  const copyPrefix = 'pkg/';
  const summary = summarize(result, {
    dpopFuzz: ours ? await readStrykerReport(ours.reportFile, copyPrefix) : [],
    official: theirs ? await readStrykerReport(theirs.reportFile, copyPrefix) : null,
  }, verdicts);
  await ensureDir(outDir);
  await writeJson(path.join(outDir, 'summary.json'), summary);
  await writeFileAtomic(path.join(outDir, 'summary.md'), summaryMarkdown(summary));
  const own = summary.scores.find((s) => s.oracle === 'dpop-fuzz');
  const official = summary.scores.find((s) => s.oracle === 'official');
  const survivors = summary.mutants.filter((m) => m.dpopFuzz.status === 'Survived' || m.dpopFuzz.status === 'NoCoverage');
  const unjudged = survivors.filter((m) => m.verdict === null).length;
  if (own) {
    process.stdout.write(
      `${summary.package}@${summary.version}: ${own.mutants} mutants, dpop-fuzz detected ${own.killed + own.timeout} (score ${own.score} %, ${own.scoreNonEquivalent} % of non-equivalent), ${survivors.length} survivor(s)${unjudged ? `, ${unjudged} without a verdict` : ''}; ${formatDuration(own.wallMs)}, ${own.mutantsPerMinute} mutants/min\n`,
    );
  }
  if (official && summary.sideBySide) {
    const b = summary.sideBySide;
    process.stdout.write(`official suite on the same mutants: detected ${official.killed + official.timeout} (score ${official.score} %); killed by both ${b.killedByBoth}, only dpop-fuzz ${b.onlyDpopFuzz}, only official ${b.onlyOfficial}, neither ${b.killedByNeither}\n`);
  }
  process.stdout.write(`Report: ${path.join(outDir, 'summary.md')} (HTML: ${path.join(outDir, 'index.html')}); total ${formatDuration(performance.now() - started)}\n`);
  return breakAt !== null && own !== undefined && own.scoreNonEquivalent < breakAt ? 1 : 0;
}
