import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertSurvivesDpopFuzzing,
  BASE_SCHEDULE,
  CHECK_IDS,
  DpopFuzzFailure,
  DriverError,
  fuzz,
  judge,
  PRESETS,
  runSchedule,
  ScheduleError,
  type FuzzClientOptions,
  type FuzzPlan,
  type ModuleClient,
  type Schedule,
  type Trace,
} from '../../src/index.ts';
import { faultyClient, referenceClient } from '../../src/reference-clients.ts';

const dirs: string[] = [];
const scratch = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-api-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const failures = (results: readonly { status: string; id: string }[]) => results.filter((r) => r.status === 'FAILURE').map((r) => r.id);

describe('runSchedule', () => {
  it('runs a function client against a preset and judges it: the reference passes, a fault fails its check', async () => {
    const ok = await runSchedule(referenceClient, PRESETS['dpop-nonce'].schedule);
    expect(failures(ok.results)).toEqual([]);
    expect(ok.results.map((r) => r.id)).toEqual(CHECK_IDS);
    expect(ok.trace.entries.length).toBeGreaterThan(3);
    expect(ok.outcome.exitCode).toBe(0);
    const broken = await runSchedule(faultyClient('jti-counter'), PRESETS.dpop.schedule);
    expect(failures(broken.results)).toEqual(['sep-1932-client-unique-jti']);
  });

  it('judges only the checks asked for, under the profile asked for', async () => {
    const r = await runSchedule(referenceClient, PRESETS.dpop.schedule, { checks: ['sep-1932-client-ath', 'sep-1932-client-unique-jti'], profile: 'rfc9449' });
    expect(r.results.map((c) => c.id)).toEqual(['sep-1932-client-ath', 'sep-1932-client-unique-jti']);
  });

  it('refuses an invalid schedule, an unknown check and something that is not a client, with clear errors', async () => {
    await expect(runSchedule(referenceClient, { version: 2 } as unknown as Schedule)).rejects.toThrow(ScheduleError);
    await expect(runSchedule(referenceClient, PRESETS.dpop.schedule, { checks: ['nope' as 'sep-1932-client-ath'] })).rejects.toThrow(/unknown check id\(s\): nope/);
    await expect(runSchedule({ cmd: 'x' } as unknown as { command: string }, PRESETS.dpop.schedule)).rejects.toThrow(/a client is a function/);
  });

  it('runs a command client per the conformance contract', async () => {
    const ok = await runSchedule({ command: `${process.execPath} bin/reference-client.js` }, PRESETS['dpop-nonce'].schedule);
    expect(failures(ok.results)).toEqual([]);
    expect(ok.outcome.exitCode).toBe(0);
    const broken = await runSchedule({ command: `${process.execPath} bin/broken-client.js ath-hex` }, PRESETS.dpop.schedule);
    expect(failures(broken.results)).toContain('sep-1932-client-ath');
  }, 60_000);

  it('reports a command that does not exist as a DriverError', async () => {
    await expect(runSchedule({ command: 'definitely-not-a-command-5e1d' }, PRESETS.dpop.schedule, { timeoutMs: 5_000 })).rejects.toThrow(DriverError);
  });
});

describe('judge', () => {
  it('gives the same verdicts on a trace recorded elsewhere (JSON round trip) as the run that recorded it', async () => {
    const run = await runSchedule(faultyClient('ignore-rs-nonce'), PRESETS['rs-use-dpop-nonce'].schedule);
    const stored = JSON.parse(JSON.stringify({ trace: run.trace, schedule: PRESETS['rs-use-dpop-nonce'].schedule, outcome: run.outcome })) as { trace: Trace; schedule: Schedule; outcome: typeof run.outcome };
    expect(judge(stored.trace, stored.schedule, { outcome: stored.outcome })).toEqual(run.results);
    expect(failures(run.results)).toContain('sep-1932-client-rs-nonce');
  });

  it('without the client outcome, skips the verdicts that depend on it and keeps the others', async () => {
    const run = await runSchedule(referenceClient, PRESETS.dpop.schedule);
    const results = judge(run.trace, PRESETS.dpop.schedule);
    const completes = results.find((r) => r.id === 'sep-1932-client-completes');
    expect(completes).toMatchObject({ status: 'SKIPPED', message: expect.stringMatching(/options\.outcome/) });
    const others = results.filter((r) => r.id !== 'sep-1932-client-completes');
    expect(others).toEqual(run.results.filter((r) => r.id !== 'sep-1932-client-completes'));
  });

  it('refuses something that is not a trace with a TypeError naming what is missing', () => {
    expect(() => judge({ entries: [] } as unknown as Trace, PRESETS.dpop.schedule)).toThrow(/not a dpop-fuzz trace: missing array\(s\) tokens, nonces, refused/);
    expect(() => judge(null as unknown as Trace, PRESETS.dpop.schedule)).toThrow(/not an object/);
  });
});

describe('fuzz', () => {
  it('runs the shipped hand-picked schedules first, then the generated ones, and passes the reference client', async () => {
    let plan: FuzzPlan | null = null;
    const report = await fuzz(referenceClient, { runs: 12, seed: 1, workers: 2, onStart: (p) => (plan = p) });
    expect(plan).toMatchObject({ clientName: 'referenceClient', runs: 12, seed: 1, workers: 2, threads: 1, examples: { given: 0, handPicked: 16, corpus: 0 } });
    expect(report.failures).toEqual([]);
    expect(report.flaky).toEqual([]);
    expect(report.runs).toBe(12 + 16);
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(report.tool).toEqual({ name: 'mcp-dpop-fuzz', version: pkg.version });
  }, 60_000);

  it('validates the examples it is given like a schedule file', async () => {
    await expect(fuzz(referenceClient, { runs: 1, examples: [{ version: 2 } as unknown as Schedule] })).rejects.toThrow(ScheduleError);
  });

  it('finds, shrinks and confirms a broken client bug, under narrowed schedules too', async () => {
    const report = await fuzz(faultyClient('ignore-rs-nonce'), { runs: 60, seed: 3, workers: 2, handPicked: false, maxBugs: 1, constraints: { only: ['nonces'] } });
    expect(report.failures.map((f) => f.checkIds)).toEqual([['sep-1932-client-rs-nonce']]);
    const [bug] = report.failures;
    expect(bug?.verdict).toBe('bug');
    // Only nonce events were generated: no redirect, error or URL variation in the shrunk schedule.
    expect(bug?.schedule.mcp.redirect).toBeNull();
    expect(bug?.schedule.mcp.path).toBe('/mcp');
  }, 60_000);

  it('hands the schedule constraints to its threads', async () => {
    // Fails every run: the first failure's schedule as generated shows what the threads generated.
    const report = await fuzz({ module: 'test/fixtures/threads/jti-counter-client.ts' }, { runs: 8, seed: 6, workers: 2, threads: 2, handPicked: false, maxBugs: 1, constraints: { only: [] } });
    expect(report.failures.length + report.flaky.length).toBeGreaterThan(0);
    for (const f of [...report.failures, ...report.flaky]) expect({ ...f.originalSchedule, plan: BASE_SCHEDULE.plan }).toEqual(BASE_SCHEDULE);
  }, 60_000);

  it.each([
    [{ runs: Number.NaN }, /runs must be a whole number from 0, got NaN/],
    [{ workers: 0 }, /workers must be a whole number from 1, got 0/],
    [{ seed: -1 }, /seed must be a whole number from 0 to 2147483647, got -1/],
    [{ workers: 2, shard: { index: 1, count: 3 } }, /shard\.count must be a whole number from 1 to 2, got 3/],
    [{ shard: { index: 0, count: 1 } }, /shard\.index must be a whole number from 1 to 1, got 0/],
    [{ checks: [] }, /checks must name at least one check/],
    [{ profile: 'rfc-9449' as 'rfc9449' }, /profile must be sep-1932 or rfc9449, got "rfc-9449"/],
    [{ timeoutMs: 0.5 }, /timeoutMs must be a whole number from 1, got 0\.5/],
    [{ constraints: { maxSteps: 0 } }, /maxSteps must be a whole number from 1, got 0/],
  ] satisfies [FuzzClientOptions, RegExp][])('refuses %j before running anything, naming the option', async (options, message) => {
    let started = false;
    await expect(fuzz(referenceClient, { ...options, onStart: () => (started = true) })).rejects.toThrow(message);
    expect(started).toBe(false);
  });

  it('refuses threads for a client that is not a module', async () => {
    await expect(fuzz(referenceClient, { threads: 2 })).rejects.toThrow(/threads are for \{ module \} clients/);
    await expect(fuzz(referenceClient, { constraints: { only: ['nonce' as 'nonces'] } })).rejects.toThrow(/unknown schedule dimension/);
  });
});

describe('assertSurvivesDpopFuzzing', () => {
  it('fails a broken client with the shrunk schedule, the failed checks with evidence and the replay, then replays the saved file', async () => {
    const saveTo = path.join(await scratch(), 'cx');
    const error = await assertSurvivesDpopFuzzing(faultyClient('jti-counter'), { runs: 20, seed: 2, workers: 2, handPicked: false, saveTo, module: 'src/client.ts' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DpopFuzzFailure);
    const message = (error as DpopFuzzFailure).message;
    expect(message).toMatch(/^reference client with jti-counter failed DPoP fuzzing: 1 bug\(s\) in \d+ runs \(seed 2\)/);
    expect(message).toMatch(/FAILURE sep-1932-client-unique-jti \(found at run \d+, \d+ shrinks, reproduced 3\/3\)/);
    expect(message).toMatch(/sep-1932-client-unique-jti — .+ \(MUST\): /);
    expect(message).toMatch(/\n {4}#\d+ (GET|POST|DELETE) \/\S* → \d{3}: /);
    expect(message).toMatch(/shrunk schedule/);
    expect(message).toMatch(/replay: npx dpop-fuzz replay '\S+\/cx\/unique-jti-[0-9a-f]{12}\.json' --module 'src\/client\.ts'/);
    expect(message).toMatch(/replay in this suite: \{ replay: "\/\S+\/cx\/unique-jti-[0-9a-f]{12}\.json" \}/);
    const saved = /saved: (\S+)/.exec(message)?.[1];
    expect(saved && existsSync(saved)).toBe(true);
    const again = await assertSurvivesDpopFuzzing(faultyClient('jti-counter'), { replay: saved!, saveTo: false }).then(
      () => null,
      (e: unknown) => e as DpopFuzzFailure,
    );
    expect(again?.report.runs).toBe(1);
    expect(again?.report.failures.map((f) => f.checkIds)).toEqual([['sep-1932-client-unique-jti']]);
    // The fixed client passes the same schedule.
    const fixed = await assertSurvivesDpopFuzzing(referenceClient, { replay: saved! });
    expect(fixed.runs).toBe(1);
  }, 120_000);

  it('fails a client that crashed before its first request in some runs, which were never judged', async () => {
    // Runs with one step work; a longer plan makes this client give up before any HTTP request.
    const picky: ModuleClient = (url, options) => {
      const steps = (options.context as { steps?: unknown[] }).steps ?? [];
      return steps.length > 1 ? Promise.reject(new Error('cannot handle this plan')) : referenceClient(url, options);
    };
    const error = await assertSurvivesDpopFuzzing(picky, { runs: 10, seed: 8, workers: 1, handPicked: false, examples: [{ ...BASE_SCHEDULE, plan: [['tools/list']] }] }).then(
      () => null,
      (e: unknown) => e as DpopFuzzFailure,
    );
    expect(error).toBeInstanceOf(DpopFuzzFailure);
    expect(error?.message).toMatch(/^picky failed DPoP fuzzing: \d+ runs \(seed 8\)\n\n\d+ run\(s\) ended before the client's first HTTP request while others worked/);
    expect(error?.message).toMatch(/first such schedule \(what differs from the default\): \{.*"plan":\[\[/);
    // The report rides along without being part of what a test runner prints.
    expect(error?.report.crashes.runs).toBeGreaterThan(0);
    expect(Object.keys(error!)).not.toContain('report');
  }, 60_000);

  it('resolves to the report for a conformant client', async () => {
    const report = await assertSurvivesDpopFuzzing(referenceClient, { runs: 10, seed: 4, workers: 2 });
    expect(report.failures).toEqual([]);
    expect(report.runs).toBe(26);
  }, 60_000);
});
