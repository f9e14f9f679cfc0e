import { randomInt } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_JUDGE_OPTIONS } from '../../checks/types.ts';
import { onCleanup } from '../../driver/cleanup.ts';
import type { ClientTarget } from '../../driver/types.ts';
import { CORPUS_FORMAT } from '../../corpus/entry.ts';
import { loadCorpus, saveCorpusEntry } from '../../corpus/store.ts';
import { baselineScenario, loadBaseline } from '../../baseline/expected-failures.ts';
import { compareWithBaseline, staleNotJudgedReason } from '../../baseline/verdict.ts';
import { runSummaryJson } from '../run-summary-json.ts';
import { bugKey } from '../../runner/bug-book.ts';
import type { Shard } from '../../runner/split-runs.ts';
import type { FuzzReport } from '../../report/types.ts';
import type { Schedule } from '../../schedule/types.ts';
import type { BaselineVerdict } from '../../baseline/verdict.ts';
import { writeReport } from '../../report/write.ts';
import { DEFAULT_CONFIRMATIONS, DEFAULT_MAX_SHRINK_RUNS, DEFAULT_MODULE_WORKERS, DEFAULT_RUNS, fuzz, type FuzzOptions } from '../../runner/fuzz.ts';
import { defaultThreads, fuzzOnThreads, searchCount } from '../../runner/threads/fuzz-on-threads.ts';
import { formatStatistics } from '../../runner/statistics.ts';
import { quoteShellArg } from '../../driver/shell-quote.ts';
import { defaultOutDir } from '../output-dir.ts';
import { ensureDir, writeJson } from '../../io/atomic-file.ts';
import { intFlag, parseFlags } from '../parse-flags.ts';
import { writeCiOutputs } from '../ci-outputs.ts';
import { createProgressDisplay } from '../progress.ts';
import { UsageError } from '../usage-error.ts';
import { VERSION } from '../version.ts';
import { describeTarget } from '../../driver/describe-target.ts';
import { CLIENT_RUN_FLAGS, parseCheckIds, parseProfile, parseTarget } from './check.ts';
import { parseDuration } from '../parse-duration.ts';

export const RUN_HELP = `Usage: dpop-fuzz run (--command "<cmd>" | --module <path>) [options]

Fuzzes the client: generates schedules (nonce challenges and rotations,
errors, token and URL shapes, challenge spellings, redirects, topologies,
concurrent plans, response delays), runs the client against each, judges
every run, and keeps going: each failure of a check no earlier bug failed
is shrunk to a minimal schedule and replayed to tell bugs from flakes, then
the search goes on; runs that fail only checks of known bugs are counted
against them. Writes report.json, report.md and one corpus entry per bug.

Client (exactly one):
  --command "<cmd>"   shell command; the MCP server URL is appended as the last
                      argument (MCP conformance client contract)
  --module <path>     JS/TS module exporting runClient(serverUrl, options)

Options:
  --runs <n>          schedules to generate (default: ${DEFAULT_RUNS})
  --seed <n>          fast-check seed, 0 to 2147483647; the same seed and
                      --workers give the same schedules (default: random,
                      printed)
  --time-limit <d>    stop generating after this long, e.g. 90s, 30m, 2h
  --workers <n>       searches run side by side (default: CPU count for
                      --command, ${DEFAULT_MODULE_WORKERS} for --module)
  --threads <n>       --module only: worker threads that share the searches,
                      so in-process runs use every core; the same seed and
                      --workers give the same schedules on any number of
                      threads (default: one per 2 CPU cores, at most
                      --workers; 1 runs on the main thread)
  --shard <i>/<n>     run shard i of n (1-based): every n-th of the --workers
                      searches, so n machines with the same command line and
                      i = 1..n run exactly the schedules of the unsharded
                      run; needs --workers >= n; combine the reports with
                      'dpop-fuzz merge'
  --out <dir>         report folder (default: results/run-<time>)
  --corpus <dir>      corpus folder: its schedules are tried first and new
                      counterexamples are saved there (default: corpus)
  --no-corpus         neither read nor write a corpus
  --max-bugs <n>      stop exploring after n distinct failures (default: no
                      limit; the search runs --runs or --time-limit)
  --stop-on-first     stop exploring at the first failure (--max-bugs 1)
  --expected-failures <file>
                      YAML baseline of known failures (the official
                      conformance suite's format; see README): known bugs do
                      not fail the run, new ones and stale entries do
  --confirm <k>       replays of a shrunk counterexample (default: ${DEFAULT_CONFIRMATIONS})
  --max-shrink-runs <n>  client runs spent shrinking one counterexample
                      (default: ${DEFAULT_MAX_SHRINK_RUNS})
  --timeout <ms>      per client run (default: 20000)
  --profile <name>    sep-1932 (default) or rfc9449
  --checks <ids>      comma-separated check IDs to judge (default: all)
  --max-retries <n>   consecutive retries that count as a storm (default: ${DEFAULT_JUDGE_OPTIONS.maxRetries})
  --fail-on <level>   failure (default: MUST checks) or warning (SHOULD
                      checks count too)
  --junit <file>      also write the result as JUnit XML: one testcase per
                      check, a failure carrying the evidence, the replay
                      command and the minimal schedule
  --quiet             no progress and no statistics
  --json              print a JSON summary on stdout instead of the text one
                      (exit code, runs, seed, each bug's checks and replay
                      command, report paths); progress stays on stderr

Under GitHub Actions (GITHUB_ACTIONS=true) each new bug is also an ::error
annotation, and a summary with the bugs' sequence diagrams is appended to
$GITHUB_STEP_SUMMARY.

Exit status: 0 no FAILURE found (or, with --expected-failures, only known
ones), 1 a FAILURE was found (or a new one, or a stale baseline entry),
2 usage or infrastructure error, 130 interrupted (report written).`;

/** The client flags of a replay command line for this target. */
export function targetFlags(target: ClientTarget): string {
  return target.kind === 'command' ? `--command ${quoteShellArg(target.command)}` : target.kind === 'module' ? `--module ${quoteShellArg(target.path)}` : `--function ${quoteShellArg(target.name)}`;
}

/** The corpus `client` field for a target: the command, or `module:<path>`. */
export function corpusClient(target: ClientTarget): string {
  return target.kind === 'command' ? target.command : target.kind === 'module' ? `module:${target.path}` : target.name;
}

export async function runCommand(args: readonly string[], signal: AbortSignal): Promise<number> {
  const flags = parseFlags('run', args, {
    ...CLIENT_RUN_FLAGS,
    runs: { type: 'string' },
    seed: { type: 'string' },
    'time-limit': { type: 'string' },
    workers: { type: 'string' },
    threads: { type: 'string' },
    shard: { type: 'string' },
    corpus: { type: 'string' },
    'no-corpus': { type: 'boolean' },
    confirm: { type: 'string' },
    'max-shrink-runs': { type: 'string' },
    'max-bugs': { type: 'string' },
    'stop-on-first': { type: 'boolean' },
    'expected-failures': { type: 'string' },
    'fail-on': { type: 'string' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
    junit: { type: 'string' },
  });
  const failOn = flags['fail-on'] ?? 'failure';
  if (failOn !== 'failure' && failOn !== 'warning') throw new UsageError(`--fail-on must be failure or warning, got ${JSON.stringify(failOn)}`);
  const target = parseTarget(flags.command, flags.module);
  const profile = parseProfile(flags.profile);
  const checks = parseCheckIds(flags.checks);
  const runs = intFlag('runs', flags.runs, DEFAULT_RUNS);
  const seed = flags.seed === undefined ? randomInt(0, MAX_SEED) : parseSeed(flags.seed);
  const workers = intFlag('workers', flags.workers, target.kind === 'command' ? availableParallelism() : DEFAULT_MODULE_WORKERS);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard, workers);
  if (flags.threads !== undefined && target.kind !== 'module') throw new UsageError('--threads is for --module clients (a --command client already runs in processes of its own; use --workers)');
  const threads = target.kind === 'module' ? Math.min(intFlag('threads', flags.threads, defaultThreads(availableParallelism())), searchCount({ runs, workers, seed, ...(shard ? { shard } : {}) })) : 1;
  const timeLimitMs = flags['time-limit'] === undefined ? null : parseDuration('time-limit', flags['time-limit']);
  const confirmations = intFlag('confirm', flags.confirm, DEFAULT_CONFIRMATIONS);
  const maxShrinkRuns = intFlag('max-shrink-runs', flags['max-shrink-runs'], DEFAULT_MAX_SHRINK_RUNS, 0);
  const timeoutMs = intFlag('timeout', flags.timeout, 20_000, 100);
  const maxRetries = intFlag('max-retries', flags['max-retries'], DEFAULT_JUDGE_OPTIONS.maxRetries, 0);
  if (flags['no-corpus'] && flags.corpus !== undefined) throw new UsageError('give --corpus <dir> or --no-corpus, not both');
  if (flags['stop-on-first'] && flags['max-bugs'] !== undefined) throw new UsageError('give --max-bugs <n> or --stop-on-first, not both');
  const maxBugs = flags['stop-on-first'] ? 1 : flags['max-bugs'] === undefined ? undefined : intFlag('max-bugs', flags['max-bugs'], 1);
  const baseline = flags['expected-failures'] === undefined ? null : await loadBaseline(flags['expected-failures']);
  const scenario = baselineScenario(profile);
  const corpusDir = flags['no-corpus'] ? null : (flags.corpus ?? 'corpus');
  const outDir = flags.out ?? defaultOutDir('run', new Date());
  const reportFile = path.join(outDir, 'report.json');
  const quiet = flags.quiet === true;
  const say = (line: string) => process.stderr.write(`${line}\n`);

  const corpus = corpusDir === null ? [] : await loadCorpus(corpusDir);
  // The known bugs' schedules run before everything else: a known bug is found again every time, a fixed one shows as stale.
  const known = baseline === null ? [] : distinct(baseline.entries.filter((e) => e.scenario === scenario).flatMap((e) => baseline.schedules.get(e.text) ?? []));
  await checkWritable(outDir);
  const clientName = describeTarget(target);
  const first = [...(known.length > 0 ? [`${known.length} baseline schedule(s)`] : []), ...(corpus.length > 0 ? [`${corpus.length} corpus schedule(s)`] : [])];
  say(`dpop-fuzz: fuzzing ${clientName}: ${runs} runs, seed ${seed}, ${workers} worker(s)${threads > 1 ? ` on ${threads} threads` : ''}${shard ? `, shard ${shard.index}/${shard.count}` : ''}${maxBugs === undefined ? '' : `, at most ${maxBugs} bug(s)`}${first.length > 0 ? `, ${first.join(' and ')} first` : ''}`);
  say(`dpop-fuzz: report: ${reportFile}`);

  const progress = createProgressDisplay(process.stderr, process.stderr.isTTY === true && !quiet);
  let latest: FuzzReport | null = null;
  let writing: Promise<void> = Promise.resolve();
  // Serialised: a later report never lands before an earlier one.
  const persist = (report: FuzzReport) => {
    latest = report;
    writing = writing.then(async () => {
      await writeReport(outDir, report);
    });
    return writing;
  };
  // On Ctrl-C the shutdown waits for this: the report is written before the process exits.
  let finished: () => void = () => {};
  const finishedWriting = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const unregister = onCleanup(() => finishedWriting);
  try {
    const options: FuzzOptions = {
      target,
      clientName,
      runs,
      seed,
      workers,
      ...(shard ? { shard } : {}),
      timeLimitMs,
      timeoutMs,
      checks,
      judge: { profile, maxRetries },
      examples: [...known, ...corpus.map((c) => c.entry.schedule)],
      ...(maxBugs === undefined ? {} : { maxBugs }),
      confirmations,
      maxShrinkRuns,
      failOn,
      signal,
      version: VERSION,
      onProgress: quiet ? undefined : (p) => progress.update(p),
      onFound: async (found) => {
        // On disk the moment it is known, before shrinking.
        await writeJson(path.join(outDir, `found-run-${found.run}.json`), found);
      },
      onCounterexample: async (failure) => {
        let corpusFile: string | null = null;
        if (corpusDir !== null && failure.verdict === 'bug') {
          corpusFile = await saveCorpusEntry(path.join(corpusDir, 'counterexamples'), {
            format: CORPUS_FORMAT,
            title: `${clientName} fails ${failure.checkIds.join(', ')}`,
            client: corpusClient(target),
            expect: 'fail',
            checks: failure.checkIds,
            recorded: new Date().toISOString(),
            schedule: failure.schedule,
          });
        }
        const replayCommand = `npx dpop-fuzz replay ${quoteShellArg(corpusFile ?? reportFile)} ${targetFlags(target)}`;
        return { corpusFile, replayCommand };
      },
      onReport: persist,
    };
    const report = threads > 1 ? await fuzzOnThreads(options, threads) : await fuzz(options);
    await writing;
    progress.done();
    const final: FuzzReport = baseline === null ? report : { ...report, baseline: compareWithBaseline(report, baseline, scenario) };
    if (final !== report) await persist(final);
    const exitCode = runExitCode(final);
    if (flags.json) process.stdout.write(`${JSON.stringify(runSummaryJson(final, outDir, exitCode), null, 2)}\n`);
    else printSummary(final, outDir, quiet);
    await writeCiOutputs(final, flags.junit);
    return exitCode;
  } finally {
    progress.done();
    if (latest === null) await writing;
    finished();
    unregister();
  }
}

/** 130 interrupted; with a baseline, its verdict; else 1 when a FAILURE (bug or flaky) was found, 0 otherwise. */
function runExitCode(report: FuzzReport): number {
  if (report.stoppedBy === 'interrupted') return 130;
  if (report.baseline) return report.baseline.exitCode;
  return report.failures.length > 0 || report.flaky.length > 0 ? 1 : 0;
}

/** The baseline comparison in words: what is known, what is new, what is stale. */
function baselineSummary(v: BaselineVerdict, report: FuzzReport): string[] {
  const lines = [`\nExpected failures (${v.file}, scenario ${v.scenario}): ${v.known.length} known, ${v.unexpected.length} new, ${v.stale.length} stale`];
  for (const u of v.unexpected) {
    const what = u.kind === 'check' ? 'check failed without a counterexample of its own' : u.kind === 'flaky' ? 'flaky failure' : 'bug';
    lines.push(`  NEW ${what}: ${u.unexpectedChecks.join(', ')} (${u.runs} run(s)); not in the baseline`);
  }
  for (const s of v.stale) {
    lines.push(`  STALE ${s.entry}: failed in no run${s.scheduleRan ? ' (its schedule ran first and passed)' : ''}; fixed? remove the entry`);
  }
  const reason = staleNotJudgedReason(report, v);
  if (reason !== null) lines.push(`  (stale entries not judged: ${reason})`);
  return lines;
}

/** Schedules without repeats (a bug failing three checks lists its schedule under each). */
function distinct(schedules: readonly Schedule[]): Schedule[] {
  const seen = new Set<string>();
  return schedules.filter((s) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > MAX_SEED) throw new UsageError(`--seed must be an integer from 0 to ${MAX_SEED}, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** `--shard i/n`: 1 <= i <= n, and at least one search per shard. */
function parseShard(value: string, workers: number): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count) throw new UsageError(`--shard must be i/n with 1 <= i <= n, e.g. 2/4, got ${JSON.stringify(value)}`);
  if (workers < count) throw new UsageError(`--shard ${value} splits the run's searches over ${count} shards, but there are ${workers}: give --workers ${count} or more (the searches of all shards together)`);
  return { index, count };
}

/** Largest seed: fast-check seeds are 32-bit; worker i runs seed + i (wrapping). */
const MAX_SEED = 2 ** 31 - 1;

/** Fails now, not after an hour of fuzzing, when the report folder cannot be written. */
async function checkWritable(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    await ensureDir(dir);
    await writeFile(probe, '');
    await unlink(probe);
  } catch (err) {
    throw new UsageError(`cannot write to --out ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function printSummary(report: FuzzReport, outDir: string, quiet: boolean): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const rate = report.durationMs > 0 ? ((report.runs + report.shrinkRuns) * 1000) / report.durationMs : 0;
  out(`${report.runs} runs (+${report.shrinkRuns} shrink runs) in ${(report.durationMs / 1000).toFixed(1)} s, ${rate.toFixed(1)} runs/s; seed ${report.seed}; stopped: ${report.stoppedBy}`);
  const knownKeys = new Set((report.baseline?.known ?? []).map((k) => bugKey(k.checkIds)));
  for (const f of report.failures) {
    // Under --fail-on warning a counterexample may consist of WARNINGs only: say so.
    const level = f.results.some((r) => r.status === 'FAILURE') ? 'FAILURE' : 'WARNING';
    const tag = report.baseline ? (knownKeys.has(bugKey(f.checkIds)) ? 'KNOWN ' : 'NEW ') : '';
    out(`\n${tag}${level} ${f.checkIds.join(', ')} (found at run ${f.foundAtRun}, ${f.hits} run(s) hit it, ${f.fastCheck.shrinks} shrinks, reproduced ${f.confirmation.reproduced}/${f.confirmation.replays})`);
    for (const r of f.results) out(`  ${r.id}${r.status === 'WARNING' ? ' (WARNING)' : ''}: ${r.message}`);
    out(`  replay: ${f.replayCommand}`);
    if (f.corpusFile) out(`  saved: ${f.corpusFile}`);
  }
  for (const f of report.flaky) {
    out(`\nFLAKY ${f.checkIds.join(', ')}: failed at run ${f.foundAtRun} but reproduced ${f.confirmation.reproduced}/${f.confirmation.replays} replays`);
    for (const r of f.results) out(`  ${r.id}: ${r.message}`);
  }
  if (report.failures.length === 0 && report.flaky.length === 0) out('No FAILURE found.');
  if (report.baseline) for (const line of baselineSummary(report.baseline, report)) out(line);
  if (report.crashes.runs > 0) {
    out(`\nWARNING ${report.crashes.runs} run(s) ended before the client's first HTTP request while others worked: check how it handles the MCP URL it is given (schedules in report.md).`);
  }
  for (const w of report.warnings) out(`WARNING ${w}`);
  out(`\nReport: ${path.join(outDir, 'report.md')}`);
  if (!quiet) {
    out('\nCoverage (share of runs per schedule dimension):');
    for (const line of formatStatistics(report.statistics)) out(`  ${line}`);
  }
}
