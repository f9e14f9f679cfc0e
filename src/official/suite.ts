/**
 * The official MCP conformance suite: obtaining it (it needs Node ≥ 22) and
 * running one client scenario.
 *
 * The suite and Node 22 are resolved once, up front, like
 * scripts/official-conformance.sh does (npx's node@22 package, or else an npm
 * install into the work directory); after that the suite's own binary is run
 * directly. Going through npx for each of the ~54 scenario runs would add npx's
 * resolution time to every measured run and have concurrent npx processes
 * race on its cache.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exec, type ExecResult } from './exec.ts';
import { parseOfficialRun } from './parse-run.ts';
import type { OfficialResult, OfficialScenarioResult } from './types.ts';

export const CONFORMANCE_VERSION = '0.2.0-alpha.12';
export const CONFORMANCE_PACKAGE = `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`;
export const SCENARIOS = ['auth/dpop', 'auth/dpop-nonce'] as const;

/** The suite could not be obtained or does not start: the comparison cannot run. */
export class InfrastructureError extends Error {}

export interface OfficialSuite {
  /** The `conformance` executable (a `#!/usr/bin/env node` script). */
  readonly bin: string;
  /** Directories put first on PATH: Node 22 runs the suite and the client it spawns (as with npx). */
  readonly pathDirs: readonly string[];
  readonly nodeVersion: string;
  readonly suiteVersion: string;
}

const SETUP_TIMEOUT_MS = 10 * 60_000;
/** The suite stops a client after 30 s; this only guards against a hung suite. */
const SCENARIO_TIMEOUT_MS = 5 * 60_000;

function withPath(dirs: readonly string[]): NodeJS.ProcessEnv {
  return { ...process.env, PATH: [...dirs, process.env.PATH ?? ''].join(path.delimiter) };
}

/** The line of its output that names the error, for a one-line message. */
function errorSummary(result: ExecResult): string {
  return (result.spawnError ?? result.stderr.split('\n').find((l) => /err/i.test(l)) ?? `exit ${result.exitCode ?? 'signal'}`).trim();
}

/** Where Node 22 and the suite's executable are. */
interface Located {
  readonly nodeDir: string;
  readonly bin: string;
}

/** Where npx put node@22 and the suite: the `node` and `conformance` found on the PATH it sets up. */
async function viaNpx(cwd: string): Promise<Located | null> {
  const probe = 'command -v node; command -v conformance';
  const result = await exec('npx', ['-y', '-p', 'node@22', '-p', CONFORMANCE_PACKAGE, '--', 'sh', '-c', probe], { cwd, env: process.env, timeoutMs: SETUP_TIMEOUT_MS });
  const [node, bin] = result.stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('/'));
  return result.exitCode === 0 && node && bin ? { nodeDir: path.dirname(node), bin } : null;
}

/** The fallback of scripts/official-conformance.sh: npm install both into the work directory. */
async function viaNpmInstall(cwd: string, workDir: string): Promise<Located> {
  const prefix = path.join(workDir, 'official-suite');
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'node@22', CONFORMANCE_PACKAGE];
  const result = await exec('npm', args, { cwd, env: process.env, timeoutMs: SETUP_TIMEOUT_MS });
  if (result.exitCode !== 0) throw new InfrastructureError(`could not get Node 22 and ${CONFORMANCE_PACKAGE} from the npm registry (npx and npm install both failed: ${errorSummary(result)})`);
  const binDir = path.join(prefix, 'node_modules', '.bin');
  return { nodeDir: binDir, bin: path.join(binDir, 'conformance') };
}

/** Checks that the resolved suite runs on Node 22 and is the requested version. */
async function verify(cwd: string, { nodeDir, bin }: Located): Promise<OfficialSuite> {
  const env = withPath([nodeDir]);
  const node = await exec('node', ['--version'], { cwd, env, timeoutMs: 60_000 });
  const nodeVersion = node.stdout.trim();
  if (!nodeVersion.startsWith('v22.')) throw new InfrastructureError(`Node 22 unobtainable: the resolved node is ${nodeVersion || errorSummary(node)}`);
  const suite = await exec(bin, ['--version'], { cwd, env, timeoutMs: 60_000 });
  const suiteVersion = suite.stdout.trim();
  if (suiteVersion !== CONFORMANCE_VERSION) throw new InfrastructureError(`the conformance suite does not start (${bin} --version: ${suiteVersion || errorSummary(suite)})`);
  return { bin, pathDirs: [nodeDir], nodeVersion, suiteVersion };
}

/** Node 22 and the suite, ready to run; throws `InfrastructureError` when they cannot be had. */
export async function obtainOfficialSuite(cwd: string, workDir: string): Promise<OfficialSuite> {
  const npx = await viaNpx(cwd);
  if (npx) {
    try {
      return await verify(cwd, npx);
    } catch {
      // npx resolved something unusable (another Node, a broken cache entry): install instead.
    }
  }
  return verify(cwd, await viaNpmInstall(cwd, workDir));
}

/** The files the suite wrote under `dir` (it nests them by scenario and time). */
interface SuiteFiles {
  readonly checksJson: unknown;
  readonly clientStderr: string | null;
}

async function readOptional(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch(() => null);
}

/** checks.json (parsed; null if missing or not JSON) and stderr.txt (the client's stderr) from the suite's output folder. */
async function readSuiteFiles(dir: string): Promise<SuiteFiles> {
  const names = await readdir(dir, { recursive: true }).then((n) => n.map(String), () => []);
  const checks = names.find((n) => path.basename(n) === 'checks.json');
  if (!checks) return { checksJson: null, clientStderr: null };
  const text = await readOptional(path.join(dir, checks));
  let checksJson: unknown = null;
  try {
    checksJson = text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    // Unreadable: the text output is parsed instead.
  }
  return { checksJson, clientStderr: await readOptional(path.join(dir, path.dirname(checks), 'stderr.txt')) };
}

/** Runs one scenario against `command` and parses what the suite said. */
export async function runScenario(suite: OfficialSuite, command: string, scenario: string, cwd: string, outDir: string): Promise<OfficialScenarioResult> {
  const args = ['client', '--command', command, '--scenario', scenario, '--output-dir', outDir];
  const result = await exec(suite.bin, args, { cwd, env: withPath(suite.pathDirs), timeoutMs: SCENARIO_TIMEOUT_MS });
  const text = `${result.stdout}\n${result.stderr}${result.spawnError ? `\n${result.spawnError}` : ''}${result.timedOut ? '\nkilled: the suite ran too long' : ''}`;
  const parsed = parseOfficialRun({ text, exitCode: result.exitCode, ...(await readSuiteFiles(outDir)) });
  return { scenario, exitCode: result.exitCode, wallMs: result.wallMs, ...parsed };
}

/** Runs the scenarios (default: both DPoP ones), one after the other (as `conformance client --scenario` does). */
export async function runOfficial(suite: OfficialSuite, command: string, cwd: string, outDir: string, only: readonly string[] = SCENARIOS): Promise<OfficialResult> {
  const scenarios: OfficialScenarioResult[] = [];
  for (const scenario of only) {
    scenarios.push(await runScenario(suite, command, scenario, cwd, path.join(outDir, scenario.replace(/\//g, '_'))));
  }
  return { scenarios, wallMs: scenarios.reduce((sum, s) => sum + s.wallMs, 0) };
}
