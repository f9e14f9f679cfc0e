import { randomInt } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_JUDGE_OPTIONS } from '../../checks/types.ts';
import { onCleanup } from '../../driver/cleanup.ts';
import type { ClientTarget } from '../../driver/types.ts';
import { counterexampleEntry } from '../../corpus/entry.ts';
import { saveCorpusEntry } from '../../corpus/store.ts';
import { baselineScenario, loadBaseline } from '../../baseline/expected-failures.ts';
import { compareWithBaseline, staleNotJudgedReason } from '../../baseline/verdict.ts';
import { runSummaryJson } from '../run-summary-json.ts';
import { bugKey } from '../../runner/bug-book.ts';
import type { Shard } from '../../runner/split-runs.ts';
import type { FuzzReport } from '../../report/types.ts';
import type { BaselineVerdict } from '../../baseline/verdict.ts';
import { writeReport } from '../../report/write.ts';
import { clientOf, targetFlags } from '../../api/client.ts';
import { fuzz, type FuzzClientOptions, type FuzzPlan } from '../../api/fuzz.ts';
import { DEFAULT_CONFIRMATIONS, DEFAULT_MAX_SHRINK_RUNS, DEFAULT_RUNS, defaultWorkers, MAX_SEED } from '../../runner/fuzz-options.ts';
import { formatStatistics } from '../../runner/statistics.ts';
import { quoteShellArg } from '../../driver/shell-quote.ts';
import { defaultOutDir } from '../output-dir.ts';
import { ensureDir, writeJson } from '../../io/atomic-file.ts';
import { intFlag, parseFlags } from '../parse-flags.ts';
import { writeCiOutputs } from '../ci-outputs.ts';
import { createProgressDisplay } from '../progress.ts';
import { UsageError } from '../usage-error.ts';
import { describeTarget } from '../../driver/describe-target.ts';
import { CLIENT_RUN_FLAGS, parseCheckIds, parseProfile, parseTarget } from './check.ts';
import { parseDuration } from '../parse-duration.ts';
import { failureLevel } from '../../report/failure-level.ts';


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
    'no-hand-picked': { type: 'boolean' },
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
  const workers = intFlag('workers', flags.workers, defaultWorkers(target));
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard, workers);
  if (flags.threads !== undefined && target.kind !== 'module') throw new UsageError('--threads is for --module clients (a --command client already runs in processes of its own; use --workers)');
  const threads = flags.threads === undefined ? undefined : intFlag('threads', flags.threads, 1);
  const timeLimitMs = flags['time-limit'] === undefined ? null : parseDuration('time-limit', flags['time-limit']);
  const confirmations = intFlag('confirm', flags.confirm, DEFAULT_CONFIRMATIONS);
  const maxShrinkRuns = intFlag('max-shrink-runs', flags['max-shrink-runs'], DEFAULT_MAX_SHRINK_RUNS, 0);
  const timeoutMs = intFlag('timeout', flags.timeout, 20_000, 100);
  const maxRetries = intFlag('max-retries', flags['max-retries'], DEFAULT_JUDGE_OPTIONS.maxRetries, 0);
  if (flags['no-corpus'] && flags.corpus !== undefined) throw new UsageError('give --corpus <dir> or --no-corpus, not both');
  if (flags['no-corpus'] && flags['no-hand-picked']) throw new UsageError('--no-corpus already leaves out the hand-picked schedules; give one of them');
  if (flags['stop-on-first'] && flags['max-bugs'] !== undefined) throw new UsageError('give --max-bugs <n> or --stop-on-first, not both');
  const maxBugs = flags['stop-on-first'] ? 1 : flags['max-bugs'] === undefined ? undefined : intFlag('max-bugs', flags['max-bugs'], 1);
  const baseline = flags['expected-failures'] === undefined ? null : await loadBaseline(flags['expected-failures']);
  const scenario = baselineScenario(profile);
  const corpusDir = flags['no-corpus'] ? null : (flags.corpus ?? 'corpus');
  const outDir = flags.out ?? defaultOutDir('run', new Date());
  const reportFile = path.join(outDir, 'report.json');
  const quiet = flags.quiet === true;
  const say = (line: string) => process.stderr.write(`${line}\n`);

  // The known bugs' schedules run before everything else: a known bug is found again every time, a fixed one shows as stale.
  const known = baseline === null ? [] : baseline.entries.filter((e) => e.scenario === scenario).flatMap((e) => baseline.schedules.get(e.text) ?? []);
  await checkWritable(outDir);
  const clientName = describeTarget(target);
  const banner = (plan: FuzzPlan) => {
    const { given, handPicked, corpus } = plan.examples;
    const first = [...(given > 0 ? [`${given} baseline schedule(s)`] : []), ...(handPicked > 0 ? [`${handPicked} hand-picked schedule(s)`] : []), ...(corpus > 0 ? [`${corpus} corpus schedule(s)`] : [])];
    say(`dpop-fuzz: fuzzing ${plan.clientName}: ${plan.runs} runs, seed ${plan.seed}, ${plan.workers} worker(s)${plan.threads > 1 ? ` on ${plan.threads} threads` : ''}${shard ? `, shard ${shard.index}/${shard.count}` : ''}${maxBugs === undefined ? '' : `, at most ${maxBugs} bug(s)`}${first.length > 0 ? `, ${first.join(' and ')} first` : ''}`);
    say(`dpop-fuzz: report: ${reportFile}`);
  };

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
    const options: FuzzClientOptions = {
      clientName,
      runs,
      seed,
      workers,
      ...(threads === undefined ? {} : { threads }),
      ...(shard ? { shard } : {}),
      timeLimitMs,
      timeoutMs,
      checks,
      profile,
      maxRetries,
      examples: known,
      handPicked: corpusDir !== null && !flags['no-hand-picked'],
      corpus: corpusDir === null ? [] : [corpusDir],
      ...(maxBugs === undefined ? {} : { maxBugs }),
      confirmations,
      maxShrinkRuns,
      failOn,
      signal,
      onStart: banner,
      onProgress: quiet ? undefined : (p) => progress.update(p),
      onFound: async (found) => {
        // On disk the moment it is known, before shrinking.
        await writeJson(path.join(outDir, `found-run-${found.run}.json`), found);
      },
      onCounterexample: async (failure) => {
        let corpusFile: string | null = null;
        if (corpusDir !== null && failure.verdict === 'bug') {
          corpusFile = await saveCorpusEntry(path.join(corpusDir, 'counterexamples'), counterexampleEntry(clientName, corpusClient(target), failure));
        }
        const replayCommand = `npx dpop-fuzz replay ${quoteShellArg(corpusFile ?? reportFile)} ${targetFlags(target)}`;
        return { corpusFile, replayCommand };
      },
      onReport: persist,
    };
    const report = await fuzz(clientOf(target), options);
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
    const level = failureLevel(f);
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
