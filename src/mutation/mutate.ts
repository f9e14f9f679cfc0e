/**
 * A mutation run of an installed package's DPoP code, with dpop-fuzz (and
 * optionally the official conformance suite) as the oracle:
 *
 * package copy (work dir) → selectors → baseline pass (unmutated) → oracle
 * plan → Stryker (child process, plugin stryker-plugin.ts) → Stryker's JSON
 * and HTML → summary (summary.ts).
 *
 * The installed package is never modified: Stryker instruments a copy in a
 * temporary work directory, and the client loads that copy through
 * redirect-hooks.mjs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions } from '../checks/types.ts';
import { loadCorpus } from '../corpus/store.ts';
import { onCleanup } from '../driver/cleanup.ts';
import { ensureDir, writeJson } from '../io/atomic-file.ts';
import { exec, killAll } from '../official/exec.ts';
import { obtainOfficialSuite, SCENARIOS } from '../official/suite.ts';
import type { FailOn } from '../runner/confirm.ts';
import { baselinePass } from './baseline-pass.ts';
import { MutationError } from './errors.ts';
import { copyPackage, findInstalledPackage, type InstalledPackage } from './installed-package.ts';
import { oracleSchedules, oracleTests, PLAN_FORMAT, type OraclePlan } from './oracle-plan.ts';
import { loadOracleClient } from './oracle-run.ts';
import { parseSelector, resolveSelectors, strykerPattern, type ResolvedSelector } from './selectors.ts';

/** A module next to this one, with this module's extension: `.ts` from the sources, `.js` from the compiled package. */
function sibling(name: string): URL {
  return new URL(`./${name}${path.extname(new URL(import.meta.url).pathname)}`, import.meta.url);
}

/** Stryker's version this tool is built and tested with. */
export const STRYKER_VERSION = '9.6.1';

/**
 * Stryker is an optional peer dependency: only `mutate` needs it. Without it,
 * say what to install before any work starts, instead of a module-not-found
 * trace from Stryker's process after the baseline pass.
 */
function assertStrykerInstalled(): void {
  try {
    import.meta.resolve('@stryker-mutator/core');
  } catch {
    throw new MutationError(`mutate runs Stryker, which is not installed here: npm install --save-dev @stryker-mutator/core@${STRYKER_VERSION}`);
  }
}

/** The copy's folder inside the work directory (and so inside Stryker's sandbox). */
const COPY_DIR = 'pkg';
/** Stryker's own budget on top of a mutant's expected oracle time; our per-run timeout stops hung clients first. */
const STRYKER_TIMEOUT_MS = 30_000;
const STRYKER_RUN_LIMIT_MS = 6 * 60 * 60_000;

export interface MutateOptions {
  readonly packageName: string;
  readonly selectors: readonly string[];
  /** Each client runs against every schedule (at least one). */
  readonly clients: OraclePlan['clients'];
  /** Command for the official suite's client (needed with `official`). */
  readonly officialCommand: string | null;
  /** Corpus folders whose schedules come first (in order). */
  readonly corpusDirs: readonly string[];
  readonly runs: number;
  readonly seed: number;
  readonly replays: number;
  readonly judge?: Partial<JudgeOptions>;
  readonly failOn: FailOn;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly outDir: string;
  readonly official: boolean;
  readonly keepWork: boolean;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
  /** Stryker's live output (progress). */
  readonly onStrykerOutput?: (chunk: string) => void;
}

/** One oracle's Stryker run: where its report is and how long it took. */
export interface OracleRun {
  readonly oracle: OraclePlan['oracle'];
  readonly reportFile: string;
  readonly wallMs: number;
  readonly tests: number;
}

export interface MutateResult {
  readonly pkg: InstalledPackage;
  readonly selectors: readonly ResolvedSelector[];
  readonly runs: readonly OracleRun[];
  readonly settings: { readonly runs: number; readonly seed: number; readonly corpus: readonly string[]; readonly replays: number; readonly concurrency: number; readonly timeoutMs: number; readonly profile: string };
}

export async function mutatePackage(options: MutateOptions): Promise<MutateResult> {
  assertStrykerInstalled();
  const pkg = await findInstalledPackage(options.packageName, process.cwd());
  const selectors = options.selectors.map(parseSelector);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'dpop-fuzz-mutate-'));
  const removeWork = () => (options.keepWork ? undefined : rm(workDir, { recursive: true, force: true }));
  // On Ctrl-C: Stryker runs in its own process group (exec), which a terminal's SIGINT does not
  // reach; end it and its workers at once, then remove the work directory they were writing to.
  const unregister = onCleanup(async () => {
    killAll('SIGKILL');
    await removeWork();
  });
  try {
    await copyPackage(pkg, path.join(workDir, COPY_DIR));
    const resolved = await resolveSelectors(path.join(workDir, COPY_DIR), selectors);
    const mutate = resolved.map((r) => strykerPattern(r, COPY_DIR));
    options.log(`mutating ${pkg.name}@${pkg.version}: ${resolved.map((r) => `${r.file}${r.lines ? `:${r.lines.start}-${r.lines.end}` : ''}`).join(', ')}`);
    if (options.keepWork) options.log(`work directory (kept): ${workDir}`);
    await ensureDir(options.outDir);
    const judge: JudgeOptions = { ...DEFAULT_JUDGE_OPTIONS, ...options.judge };
    const redirect = { from: pathToFileURL(pkg.dir).href.replace(/\/?$/, '/'), copy: COPY_DIR };
    const base = { format: PLAN_FORMAT, clients: options.clients, redirect, judge, failOn: options.failOn, timeoutMs: options.timeoutMs } as const;

    // The dpop-fuzz oracle: the corpus plus generated schedules, against a baseline of the unmutated package.
    const corpora = await Promise.all(options.corpusDirs.map(async (dir) => ({ dir, entries: await loadCorpus(dir) })));
    const schedules = oracleSchedules(corpora, options.runs, options.seed);
    if (schedules.length === 0) throw new MutationError('the oracle has no schedule: give --runs > 0 or a corpus');
    const planned = oracleTests(options.clients, schedules);
    options.log(`baseline: ${schedules.length} schedules${options.clients.length > 1 ? ` × ${options.clients.length} clients` : ''} × ${options.replays} runs on the unmutated package…`);
    const clients = await Promise.all(options.clients.map(loadOracleClient));
    const tests = await quietly(() => baselinePass(clients, planned, { ...base, replays: options.replays, concurrency: 4, signal: options.signal }));
    const known = new Set(tests.flatMap((t) => t.baseline));
    options.log(`baseline: done${known.size ? `; the unmutated package already fails ${[...known].join(', ')} under some schedules (not counted as kills there)` : ''}`);
    const runs: OracleRun[] = [];
    const fuzzPlan: OraclePlan = { ...base, oracle: 'dpop-fuzz', tests, official: null };
    runs.push(await runStryker(fuzzPlan, { workDir, mutate, options, htmlFile: path.join(options.outDir, 'index.html'), reportFile: path.join(options.outDir, 'mutation.json') }));

    if (options.official) {
      if (options.officialCommand === null) throw new MutationError('--official needs a client command for the suite (--official-command, or a --command client)');
      options.log('official suite: obtaining Node 22 and the conformance suite…');
      const suite = await obtainOfficialSuite(process.cwd(), workDir).catch((error: unknown) => {
        throw new MutationError(`official suite unavailable: ${error instanceof Error ? error.message : String(error)}`);
      });
      const officialPlan: OraclePlan = {
        ...base,
        oracle: 'official',
        tests: SCENARIOS.map((id) => ({ id, client: 0, schedule: null, baseline: [] })),
        official: { bin: suite.bin, pathDirs: suite.pathDirs, command: options.officialCommand, scenarios: SCENARIOS },
      };
      runs.push(await runStryker(officialPlan, { workDir, mutate, options, htmlFile: path.join(options.outDir, 'official', 'index.html'), reportFile: path.join(options.outDir, 'official', 'mutation.json') }));
    }
    return {
      pkg,
      selectors: resolved,
      runs,
      settings: { runs: options.runs, seed: options.seed, corpus: options.corpusDirs, replays: options.replays, concurrency: options.concurrency, timeoutMs: options.timeoutMs, profile: judge.profile },
    };
  } finally {
    unregister();
    await removeWork();
  }
}

/**
 * Runs `fn` with the console silenced: an in-process client (the SDK) logs its
 * own retries and errors through `console`, which would drown our progress.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const mute = (): void => {};
  Object.assign(console, { log: mute, info: mute, warn: mute, error: mute, debug: mute });
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

interface StrykerRunInput {
  readonly workDir: string;
  readonly mutate: readonly string[];
  readonly options: MutateOptions;
  readonly htmlFile: string;
  readonly reportFile: string;
}

/** Writes the plan and Stryker's options, runs Stryker in the work directory, and checks it wrote its report. */
async function runStryker(plan: OraclePlan, { workDir, mutate, options, htmlFile, reportFile }: StrykerRunInput): Promise<OracleRun> {
  const planFile = path.join(workDir, `plan-${plan.oracle}.json`);
  await writeJson(planFile, plan);
  const tsx = import.meta.resolve('tsx');
  const strykerOptions = {
    testRunner: 'dpop-fuzz',
    plugins: [fileURLToPath(sibling('stryker-plugin'))],
    testRunnerNodeArgs: ['--import', tsx],
    checkerNodeArgs: ['--import', tsx],
    dpopFuzz: { plan: planFile },
    mutate,
    // In-process runs report which tests reach which mutant; a subprocess cannot.
    coverageAnalysis: plan.oracle === 'dpop-fuzz' && plan.clients.every((c) => c.kind === 'module') ? 'perTest' : 'off',
    concurrency: options.concurrency,
    timeoutMS: STRYKER_TIMEOUT_MS,
    reporters: ['html', 'json', 'progress-append-only'],
    htmlReporter: { fileName: htmlFile },
    jsonReporter: { fileName: reportFile },
    tempDirName: '.stryker-tmp',
    symlinkNodeModules: false,
    cleanTempDir: !options.keepWork,
    fileLogLevel: 'off',
    logLevel: 'warn',
    allowConsoleColors: false,
    checkers: [],
  };
  const optionsFile = path.join(workDir, `stryker-${plan.oracle}.json`);
  await writeJson(optionsFile, strykerOptions);
  await ensureDir(path.dirname(reportFile));
  options.log(`${plan.oracle === 'official' ? 'official suite' : 'dpop-fuzz'} as the oracle: ${plan.tests.length} test(s) per mutant at most, ${options.concurrency} Stryker worker(s)…`);
  const main = fileURLToPath(sibling('stryker-main'));
  const result = await exec(process.execPath, ['--import', tsx, main, optionsFile], {
    cwd: workDir,
    env: process.env,
    timeoutMs: STRYKER_RUN_LIMIT_MS,
    ...(options.onStrykerOutput ? { onOutput: options.onStrykerOutput } : {}),
  });
  if (options.signal.aborted) throw new MutationError('interrupted');
  if (result.exitCode !== 0) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').filter((l) => l.trim() !== '').slice(-6).join('\n');
    throw new MutationError(`Stryker failed (${result.timedOut ? 'ran too long' : `exit ${result.exitCode ?? 'signal'}`}):\n${tail}`);
  }
  return { oracle: plan.oracle, reportFile, wallMs: result.wallMs, tests: plan.tests.length };
}
