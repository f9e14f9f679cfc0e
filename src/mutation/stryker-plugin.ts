/**
 * A Stryker test runner whose tests are dpop-fuzz runs: each "test" is one
 * schedule of the oracle plan (oracle-plan.ts), run against the client under
 * test and judged by the check catalogue. Loaded by Stryker in its worker
 * processes (`plugins: [<this file>]`, `testRunner: 'dpop-fuzz'`).
 *
 * In-process clients load the instrumented copy of the package through
 * redirect-hooks.mjs; Stryker's instrumented code switches mutants through
 * `globalThis.__stryker__` (activeMutant, currentTestId for per-test
 * coverage, hitCount/hitLimit against infinite loops), so a worker loads the
 * client once and runs every mutant in it. Subprocess clients and the
 * official suite get the mutant id through `__STRYKER_ACTIVE_MUTANT__`.
 */
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import type { StrykerOptions } from '@stryker-mutator/api/core';
import {
  DryRunStatus,
  MutantRunStatus,
  TestStatus,
  type DryRunOptions,
  type DryRunResult,
  type MutantRunOptions,
  type MutantRunResult,
  type TestResult,
  type TestRunner,
  type TestRunnerCapabilities,
} from '@stryker-mutator/api/test-runner';
import { runOfficial } from '../official/suite.ts';
import { readPlan, type OraclePlan, type OracleTest } from './oracle-plan.ts';
import { loadOracleClient, runOracleTest, type OracleClient } from './oracle-run.ts';
import { CLIENT_STRAY_ERROR, killMessage, newFailures, type RunVerdict } from './run-verdict.ts';
import { MutationError } from './errors.ts';

/** Stryker's shared state with the instrumented code (see @stryker-mutator/instrumenter's header). */
interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
  hitCount?: number;
  hitLimit?: number;
  mutantCoverage?: { static: Record<string, number>; perTest: Record<string, Record<string, number>> };
}

const ACTIVE_MUTANT_ENV = '__STRYKER_ACTIVE_MUTANT__';

function strykerNamespace(): StrykerNamespace {
  const holder = globalThis as { __stryker__?: StrykerNamespace };
  holder.__stryker__ ??= {};
  return holder.__stryker__;
}

/** The plugin's options in the Stryker config: `dpopFuzz: { plan: <oracle plan file> }`. */
export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: {
    dpopFuzz: {
      type: 'object',
      properties: { plan: { type: 'string', description: 'The oracle plan written by dpop-fuzz mutate.' } },
      required: ['plan'],
      additionalProperties: false,
    },
  },
} as const;

type PluginOptions = StrykerOptions & { dpopFuzz?: { plan?: string } };

export class DpopFuzzTestRunner implements TestRunner {
  static readonly inject = tokens(commonTokens.options);
  private plan: OraclePlan | null = null;
  private clients: OracleClient[] | null = null;
  /** Errors thrown outside any awaited call (timers, stream callbacks) during the current run. */
  private stray: string[] = [];

  constructor(private readonly options: PluginOptions) {}

  capabilities(): TestRunnerCapabilities {
    // ESM modules cannot be unloaded: Stryker starts a new worker for static mutants.
    return { reloadEnvironment: false };
  }

  async init(): Promise<void> {
    const planFile = this.options.dpopFuzz?.plan;
    if (!planFile) throw new MutationError('the dpop-fuzz test runner needs dpopFuzz.plan in the Stryker options');
    const plan = await readPlan(planFile);
    this.plan = plan;
    const from = plan.redirect.from;
    const to = pathToFileURL(path.resolve(process.cwd(), plan.redirect.copy)).href.replace(/\/?$/, '/');
    // A mutant may throw from a callback nobody awaits: count it against the run, do not let it end the worker.
    process.on('uncaughtException', (error) => this.stray.push(`uncaught exception: ${error.message}`));
    process.on('unhandledRejection', (reason) => this.stray.push(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`));
    if (plan.oracle === 'official' || plan.clients.some((c) => c.kind === 'command')) {
      // Client subprocesses load the copy through the same hooks.
      process.env.DPOP_FUZZ_REDIRECT = JSON.stringify({ from, to });
      const hook = new URL('./redirect-register.mjs', import.meta.url).href;
      process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${hook}`.trim();
    }
    if (plan.oracle === 'dpop-fuzz' && plan.clients.some((c) => c.kind === 'module')) register(new URL('./redirect-hooks.mjs', import.meta.url), { data: { from, to } });
    // The client (and with it the package) is loaded by the first dry or mutant run, not here:
    // for a static mutant (code that runs when the module loads) Stryker starts a fresh worker,
    // and the mutant must be active before the package is evaluated.
  }

  /**
   * Loads the clients once per worker. Module-level code of the package runs
   * now: with no test id set (so Stryker sees its coverage as static) and
   * with only the mutant of a static run active (so no other mutant's
   * module-level change outlives its own run).
   */
  private async loadClient(plan: OraclePlan): Promise<void> {
    if (plan.oracle !== 'dpop-fuzz' || this.clients !== null) return;
    const clients: OracleClient[] = [];
    for (const spec of plan.clients) clients.push(await loadOracleClient(spec));
    this.clients = clients;
  }

  async dryRun(options: DryRunOptions): Promise<DryRunResult> {
    const plan = this.requirePlan();
    const ns = strykerNamespace();
    const perTest = options.coverageAnalysis === 'perTest';
    ns.currentTestId = undefined;
    await this.loadClient(plan);
    const tests: TestResult[] = [];
    for (const test of plan.tests) {
      if (perTest) ns.currentTestId = test.id;
      const started = performance.now();
      const verdict = await this.run(plan, test);
      const fresh = newFailures(verdict, new Set(test.baseline));
      const timeSpentMs = Math.round(performance.now() - started);
      // The unmutated package must pass every test; the baseline replays make this the rule.
      tests.push(fresh.length === 0 ? { id: test.id, name: test.id, timeSpentMs, status: TestStatus.Success } : { id: test.id, name: test.id, timeSpentMs, status: TestStatus.Failed, failureMessage: `the unmutated package failed: ${killMessage(verdict, fresh)}` });
    }
    ns.currentTestId = undefined;
    const coverage = ns.mutantCoverage;
    return { status: DryRunStatus.Complete, tests, ...(options.coverageAnalysis === 'off' || !coverage ? {} : { mutantCoverage: coverage }) };
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    const plan = this.requirePlan();
    const ns = strykerNamespace();
    const id = options.activeMutant.id;
    if (options.mutantActivation === 'static') ns.activeMutant = id;
    ns.currentTestId = undefined;
    await this.loadClient(plan);
    ns.activeMutant = id;
    ns.currentTestId = undefined;
    ns.hitCount = options.hitLimit === undefined ? undefined : 0;
    ns.hitLimit = options.hitLimit;
    process.env[ACTIVE_MUTANT_ENV] = id;
    const started = performance.now();
    const filter = options.testFilter ? new Set(options.testFilter) : null;
    const tests = plan.tests.filter((t) => filter === null || filter.has(t.id));
    let ran = 0;
    try {
      for (const test of tests) {
        if (performance.now() - started > options.timeout) return { status: MutantRunStatus.Timeout, reason: `the oracle ran longer than ${options.timeout} ms` };
        ran++;
        const baseline = new Set(test.baseline);
        const first = await this.run(plan, test);
        if (hitLimitReached(ns)) return { status: MutantRunStatus.Timeout, reason: `hit limit reached (${ns.hitCount}/${ns.hitLimit})` };
        const fresh = newFailures(first, baseline);
        if (fresh.length === 0) continue;
        // Never cry wolf: a kill must show again on a second run of the same schedule.
        const again = await this.run(plan, test);
        const confirmed = fresh.filter((key) => again.has(key));
        if (confirmed.length === 0) continue;
        return { status: MutantRunStatus.Killed, killedBy: [test.id], failureMessage: killMessage(first, confirmed), nrOfTests: ran };
      }
      return { status: MutantRunStatus.Survived, nrOfTests: ran };
    } finally {
      ns.activeMutant = undefined;
      ns.hitCount = undefined;
      ns.hitLimit = undefined;
      delete process.env[ACTIVE_MUTANT_ENV];
    }
  }

  private requirePlan(): OraclePlan {
    if (this.plan === null) throw new MutationError('the dpop-fuzz test runner was not initialised');
    return this.plan;
  }

  /** One run of one test: what went wrong, stray errors included. */
  private async run(plan: OraclePlan, test: OracleTest): Promise<RunVerdict> {
    this.stray = [];
    let verdict: Map<string, string>;
    if (plan.oracle === 'official') verdict = await runOfficialTest(plan, test.id);
    else {
      if (test.schedule === null) throw new MutationError(`test ${test.id} has no schedule`);
      const client = this.clients?.[test.client];
      if (client === undefined) throw new MutationError(`no client loaded for test ${test.id}`);
      verdict = new Map(await runOracleTest(client, test.schedule, plan));
    }
    // Give callbacks scheduled by the run a turn before it is judged.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.stray.length > 0) verdict.set(CLIENT_STRAY_ERROR, this.stray[0] ?? '');
    return verdict;
  }
}

function hitLimitReached(ns: StrykerNamespace): boolean {
  return ns.hitCount !== undefined && ns.hitLimit !== undefined && ns.hitCount > ns.hitLimit;
}

async function runOfficialTest(plan: OraclePlan, scenario: string): Promise<Map<string, string>> {
  const official = plan.official;
  if (!official) throw new MutationError('the plan has no official suite');
  const out = path.join(process.cwd(), '.official-out', `${process.pid}-${Date.now()}`);
  const result = await runOfficial({ bin: official.bin, pathDirs: official.pathDirs, nodeVersion: '', suiteVersion: '' }, official.command, process.cwd(), out, [scenario]);
  const verdict = new Map<string, string>();
  for (const s of result.scenarios) {
    for (const check of s.failedChecks) verdict.set(`${s.scenario}:${check}`, 'FAILURE');
    for (const check of s.warningChecks) verdict.set(`${s.scenario}:${check}`, 'WARNING');
    if (s.verdict !== 'PASS' && verdict.size === 0) verdict.set(`${s.scenario}:${s.verdict.toLowerCase()}`, s.clientError ?? s.error ?? `client exit ${s.clientExitCode ?? 'unknown'}${s.clientTimedOut ? ' (timed out)' : ''}`);
  }
  return verdict;
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'dpop-fuzz', DpopFuzzTestRunner)];
