/**
 * Side by side: runs every MCP client of this repository through the official
 * MCP conformance suite (client scenarios auth/dpop and auth/dpop-nonce) and
 * through `dpop-fuzz run`, and writes what each tool catches, and how long it
 * took, to reports/side-by-side.md (table) and reports/side-by-side.json (raw).
 *
 *   npm run side-by-side
 *   RUNS=20 CLIENTS=reference,ath-hex npm run side-by-side
 *
 * Environment:
 *   RUNS           dpop-fuzz runs per client (default 30; see config.ts)
 *   SEED           dpop-fuzz seed (default 1932)
 *   CLIENTS        comma-separated substrings; only clients whose name contains one run
 *                  (names: reference, broken/<fault>, examples/<name>)
 *   SKIP_OFFICIAL  1: dpop-fuzz only
 *   CORPUS         hand-picked (default): dpop-fuzz tries a private copy of
 *                  corpus/hand-picked first, as `dpop-fuzz run` does with its default
 *                  corpus; none: --no-corpus. The stored counterexamples
 *                  (corpus/counterexamples) are never used: they were found on these
 *                  very clients and would make dpop-fuzz's column a replay, not a search.
 *   CONCURRENCY    clients run at a time (default 2, one per core)
 *   KEEP_WORK      1: keep the temporary folder with every raw output
 *
 * Exit status: 0 the comparison ran (what the tools catch is data, not an
 * error); 2 it could not run (Node 22 or the suite unobtainable, dpop-fuzz
 * does not start, a bad setting, a tool that failed on every client).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverClients } from './side-by-side/clients.ts';
import { ConfigError, readConfig, selectClients, type SideBySideConfig } from './side-by-side/config.ts';
import { exec, killAll, mapPool } from '../src/official/exec.ts';
import { countCorpus, fuzzFlags, runFuzz, type FuzzSettings } from './side-by-side/fuzz-tool.ts';
import { CONFORMANCE_PACKAGE, InfrastructureError, obtainOfficialSuite, runOfficial, SCENARIOS, type OfficialSuite } from '../src/official/suite.ts';
import { formatDuration, formatFuzzBugs, formatScenario, markdownReport } from './side-by-side/table.ts';
import type { ClientResult, ClientSpec, RunMeta, SideBySideReport } from './side-by-side/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORT_MD = path.join(ROOT, 'reports', 'side-by-side.md');
const REPORT_JSON = path.join(ROOT, 'reports', 'side-by-side.json');

function log(line: string): void {
  process.stderr.write(`side-by-side: ${line}\n`);
}

/** dpop-fuzz must at least load its sources; `list` does that and nothing else. */
async function checkFuzzStarts(): Promise<void> {
  const result = await exec(process.execPath, [path.join(ROOT, 'bin', 'dpop-fuzz.js'), 'list'], { cwd: ROOT, env: process.env, timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    const why = result.spawnError ?? (result.stderr.trim().split('\n').at(-1) || `exit ${result.exitCode ?? 'signal'}`);
    throw new InfrastructureError(`dpop-fuzz does not start: ${why}`);
  }
}

async function fuzzVersion(): Promise<string> {
  const pkg: unknown = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  const version = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  return typeof version === 'string' ? version : '?';
}

/** One line per finished client, so a long run shows where it is. */
function progressLine(done: number, total: number, result: ClientResult): string {
  const official = result.official
    ? `official ${result.official.scenarios.map((s) => formatScenario(s)).join(' / ')} (${formatDuration(result.official.wallMs)})`
    : 'official skipped';
  return `[${done}/${total}] ${result.client.name}: ${official}; dpop-fuzz ${formatFuzzBugs(result.fuzz)} (${formatDuration(result.fuzz.wallMs)})`;
}

/** Both tools on one client, one after the other, each in its own folder under `dir`. */
async function compareClient(client: ClientSpec, suite: OfficialSuite | null, fuzz: FuzzSettings, dir: string): Promise<ClientResult> {
  const official = suite ? await runOfficial(suite, client.command, ROOT, path.join(dir, 'official')) : null;
  const fuzzResult = await runFuzz(fuzz, client.command, path.join(dir, 'dpop-fuzz'));
  return { client, official, fuzz: fuzzResult };
}

/** A tool that gave no verdict on any client did not work at all: that is the script failing, not data. */
function totalFailure(results: readonly ClientResult[]): string | null {
  if (results.length === 0) return null;
  const fuzzErrors = results.map((r) => r.fuzz.error);
  if (fuzzErrors.every((e) => e !== null)) return `dpop-fuzz failed on every client: ${fuzzErrors[0] ?? ''}`;
  const official = results.flatMap((r) => r.official?.scenarios ?? []);
  if (official.length > 0 && official.every((s) => s.verdict === 'ERROR')) return `the official suite failed on every client: ${official[0]?.error ?? ''}`;
  return null;
}

interface Measured {
  readonly startedAt: string;
  readonly totalWallMs: number;
  readonly loadAtStart: number;
}

function meta(config: SideBySideConfig, suite: OfficialSuite | null, version: string, corpusSchedules: number, measured: Measured): RunMeta {
  const corpusFlag = config.corpus === 'none' ? '--no-corpus' : '--corpus <copy of corpus/hand-picked>';
  return {
    date: measured.startedAt,
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    platform: `${os.platform()} ${os.arch()}`,
    officialPackage: suite ? CONFORMANCE_PACKAGE : null,
    officialNode: suite?.nodeVersion ?? null,
    scenarios: [...SCENARIOS],
    fuzzVersion: version,
    fuzzNode: process.version,
    seed: config.seed,
    runs: config.runs,
    corpusSchedules,
    fuzzFlags: [...fuzzFlags(config), corpusFlag].join(' '),
    concurrency: config.concurrency,
    clientsFilter: config.clients,
    loadAverage: [measured.loadAtStart, os.loadavg()[0] ?? 0],
    totalWallMs: measured.totalWallMs,
  };
}

async function writeReports(report: SideBySideReport): Promise<string> {
  const markdown = markdownReport(report);
  await mkdir(path.dirname(REPORT_MD), { recursive: true });
  await writeFile(REPORT_MD, markdown);
  await writeFile(REPORT_JSON, `${JSON.stringify(report, null, 2)}\n`);
  return markdown;
}

async function main(workDir: string): Promise<number> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const config = readConfig(process.env);
  const clients = selectClients(await discoverClients(ROOT), config.clients);
  if (clients.length === 0) throw new ConfigError(`no client name contains any of CLIENTS=${config.clients?.join(',') ?? ''}`);
  await checkFuzzStarts();
  const suite = config.skipOfficial ? null : await obtainOfficialSuite(ROOT, workDir);
  if (suite) log(`official suite ${CONFORMANCE_PACKAGE} on Node ${suite.nodeVersion}`);
  const corpusSource = config.corpus === 'none' ? null : path.join(ROOT, 'corpus');
  const corpusSchedules = corpusSource ? await countCorpus(corpusSource) : 0;
  const fuzz: FuzzSettings = { root: ROOT, runs: config.runs, seed: config.seed, corpusSource };
  log(`${clients.length} client(s), ${config.concurrency} at a time; dpop-fuzz ${config.runs} runs, seed ${config.seed}${corpusSchedules > 0 ? `, ${corpusSchedules} hand-picked schedules first` : ''}`);
  let done = 0;
  const results = await mapPool(clients, config.concurrency, async (client, i) => {
    const result = await compareClient(client, suite, fuzz, path.join(workDir, `client-${i}`));
    log(progressLine(++done, clients.length, result));
    return result;
  });
  const report: SideBySideReport = { meta: meta(config, suite, await fuzzVersion(), corpusSchedules, { startedAt, totalWallMs: Math.round(performance.now() - t0), loadAtStart }), clients: results };
  process.stdout.write(`${await writeReports(report)}\n`);
  log(`wrote ${path.relative(ROOT, REPORT_MD)} and ${path.relative(ROOT, REPORT_JSON)}`);
  const failure = totalFailure(results);
  if (failure) throw new InfrastructureError(failure);
  return 0;
}

async function run(): Promise<number> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'side-by-side-'));
  const keep = readConfigSafe()?.keepWork ?? false;
  const stop = (signal: NodeJS.Signals) => {
    killAll();
    log(`interrupted (${signal}); work folder: ${workDir}`);
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await main(workDir);
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof InfrastructureError)) throw err;
    process.stderr.write(`side-by-side: error: ${err.message}\n`);
    return 2;
  } finally {
    killAll();
    if (keep) log(`work folder kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

/** The config for cleanup decisions only; `main` reports a bad value. */
function readConfigSafe(): SideBySideConfig | null {
  try {
    return readConfig(process.env);
  } catch {
    return null;
  }
}

process.exitCode = await run().catch((err: unknown) => {
  process.stderr.write(`side-by-side: error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 2;
});
