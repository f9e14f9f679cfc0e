/**
 * `npm run bench` at a tiny scale: every kind of scenario measures what its
 * fields say (fixed seeds; only counts and signs are asserted, never speeds),
 * and the script keeps its command-line contract.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { measureCatch, median } from '../../src/bench/catch-time.ts';
import { measureMemory } from '../../src/bench/memory.ts';
import type { BenchResult } from '../../src/bench/result.ts';
import { formatBenchTable } from '../../src/bench/table.ts';
import { measureThroughput } from '../../src/bench/throughput.ts';
import { referenceTarget } from '../../src/clients/target.ts';
import { PRESETS } from '../../src/schedule/presets.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const preset = PRESETS['dpop-nonce'].schedule;
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('bench scenarios', () => {
  it('measures one search in-process: every run counted, each phase timed, CPU split between harness and client', async () => {
    const r = await measureThroughput({ name: 'one', target: referenceTarget(), workers: 1, runs: 3, seed: 1, schedule: preset });
    expect(r).toMatchObject({ name: 'one', mode: 'in-process', workers: 1, runs: 3, clientCpuMsPerRun: null });
    expect(r.cpuMsPerRun).toBeGreaterThan(0);
    const p = r.phases!;
    for (const ms of [p.worldStartMs, p.clientMs, p.judgeMs, p.harnessCpuMs, p.clientPhaseCpuMs]) expect(ms).toBeGreaterThan(0);
    expect(p.otherMs).not.toBeNull();
  });

  it('does not attribute CPU to phases when runs overlap', async () => {
    const r = await measureThroughput({ name: 'two', target: referenceTarget(), workers: 2, runs: 4, seed: 1, schedule: preset });
    expect(r.runs).toBe(4);
    expect(r.phases).toMatchObject({ otherMs: null, harnessCpuMs: null, clientPhaseCpuMs: null });
  });

  it.runIf(process.platform === 'linux')('measures a subprocess client\'s own CPU apart from the harness', async () => {
    const command = `"${process.execPath}" "${path.join(ROOT, 'bin', 'reference-client.js')}"`;
    const r = await measureThroughput({ name: 'sub', target: { kind: 'command', command }, workers: 1, runs: 1, seed: 1, schedule: preset });
    expect(r).toMatchObject({ mode: 'subprocess', runs: 1 });
    expect(r.clientCpuMsPerRun).toBeGreaterThan(0);
  }, 60_000);

  it('times the catch of a broken client per seed, counting only its own checks', async () => {
    const r = await measureCatch({ fault: 'ath-hex', seeds: [1, 2], workers: 1, budgetRuns: 50, budgetMs: 30_000 });
    expect(r.name).toBe('catch ath-hex');
    expect(r.catch).toMatchObject({ fault: 'ath-hex', seeds: [1, 2], caught: 2 });
    expect(r.catch!.medianRuns).toBeGreaterThanOrEqual(1);
    expect(r.runs).toBeGreaterThanOrEqual(2);
  });

  it('samples memory through a session', async () => {
    const r = await measureMemory({ name: 'mem', target: referenceTarget(), runs: 4, workers: 1, seed: 1, every: 2 });
    expect(r.runs).toBe(4);
    expect(r.memory!.samples).toBeGreaterThanOrEqual(3);
    expect(r.memory!.rssMaxMb).toBeGreaterThanOrEqual(r.memory!.rssStartMb);
    expect(r.memory!.heapMaxMb).toBeGreaterThanOrEqual(r.memory!.heapEndMb);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('formats a Markdown table with each kind of note', () => {
    const base = { mode: 'in-process', workers: 1, threads: 1, runs: 2, seconds: 1, runsPerSecond: 2, cpuMsPerRun: 10, clientCpuMsPerRun: null } as const;
    const rows: BenchResult[] = [
      { ...base, name: 'a', catch: { fault: 'ath-hex', seeds: [1, 2], caught: 1, medianSeconds: 0.5, medianRuns: 3 } },
      { ...base, name: 'b', mode: 'subprocess', clientCpuMsPerRun: 40 },
    ];
    expect(formatBenchTable(rows).split('\n')).toEqual([
      '| scenario | mode | workers | threads | runs | seconds | runs/s | CPU ms/run | notes |',
      '|---|---|---:|---:|---:|---:|---:|---:|---|',
      '| a | in-process | 1 | 1 | 2 | 1 | 2 | 10 | caught 1/2, median 0.5 s, 3 runs |',
      '| b | subprocess | 1 | 1 | 2 | 1 | 2 | 10 | client CPU 40 ms/run |',
    ]);
  });
});

describe('npm run bench (scripts/bench.ts)', () => {
  const bench = (...args: string[]) => run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'bench.ts'), ...args], { cwd: ROOT });

  it('runs the chosen scenarios and writes reports/bench.json\'s documented shape', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
    dirs.push(dir);
    const out = path.join(dir, 'bench.json');
    const { stdout } = await bench('--only', 'preset dpop-nonce, 1 worker', '--scale', '0.03', '--out', out);
    // An unmeasured warm-up first (100 runs at scale 1), then the scenario's own 3 runs.
    expect(stdout).toContain('warm-up: 3 generated run(s) in-process, not measured\n');
    expect(stdout).toContain('| reference, preset dpop-nonce, 1 worker | in-process | 1 | 1 | 3 |');
    const written = JSON.parse(await readFile(out, 'utf8')) as BenchResult[];
    expect(written).toHaveLength(1);
    expect(Object.keys(written[0]!).sort()).toEqual(['clientCpuMsPerRun', 'cpuMsPerRun', 'mode', 'name', 'phases', 'runs', 'runsPerSecond', 'seconds', 'threads', 'workers']);
  }, 60_000);

  it('runs the module client on one thread per core (--threads), at most one per search', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
    dirs.push(dir);
    const out = path.join(dir, 'bench.json');
    await bench('--only', 'reference module, preset dpop-nonce', '--scale', '0.01', '--out', out);
    const [result] = JSON.parse(await readFile(out, 'utf8')) as BenchResult[];
    expect(result).toMatchObject({ mode: 'in-process', workers: 8, threads: Math.min(8, availableParallelism()), runs: 6 });
    expect(result!.runsPerSecond).toBeGreaterThan(0);
  }, 60_000);

  it('lists its scenarios: every broken client and the long memory session', async () => {
    const { stdout } = await bench('--list');
    expect(stdout).toContain('catch ath-hex\n');
    expect(stdout).toContain('reference, generated schedules, 10000 runs (memory)\n');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--scale', '0'], /--scale must be a positive number/],
    [['--only', 'no such scenario'], /no scenario matches/],
  ])('refuses %j with exit status 2 and the usage line', async (args, message) => {
    const err = await bench(...args).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(message);
    expect((err as { stderr: string }).stderr).toMatch(/^Usage: npm run bench/m);
  });
});
