import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ensureDir, writeJson, writeFileAtomic } from '../../io/atomic-file.ts';
import { DEFAULT_MUTATION_RUNS, DEFAULT_MUTATION_SEED } from '../help/mutate.ts';
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
