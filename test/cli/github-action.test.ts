/**
 * The composite action (action.yml) as a matrix job runs it, minus GitHub:
 * its scripts with the inputs as environment variables, two shards then the
 * merge, on the reference client.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FuzzReport } from '../../src/report/types.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-action-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function step(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(ROOT, '.github-action', script)], { cwd: dir, env: { ...process.env, GITHUB_ACTION_PATH: ROOT, GITHUB_ACTIONS: 'true', ...env }, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

const inputs = (over: Record<string, string>) => ({
  DPOP_FUZZ_COMMAND: '',
  DPOP_FUZZ_MODULE: path.join(ROOT, 'src', 'clients', 'reference.ts'),
  DPOP_FUZZ_RUNS: '6',
  DPOP_FUZZ_TIME_LIMIT: '5m',
  DPOP_FUZZ_SEED: '98765432109',
  DPOP_FUZZ_SHARD: '',
  DPOP_FUZZ_WORKERS: '',
  DPOP_FUZZ_BASELINE: '',
  DPOP_FUZZ_CORPUS: 'corpus',
  DPOP_FUZZ_OUT: 'out',
  ...over,
});

describe('action.yml', () => {
  it('declares every input its steps read, and its steps\' scripts exist', async () => {
    const text = await readFile(path.join(ROOT, 'action.yml'), 'utf8');
    const action = parse(text) as { inputs: Record<string, unknown>; runs: { using: string } };
    expect(action.runs.using).toBe('composite');
    const used = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]!);
    expect(used.filter((name) => !(name in action.inputs))).toEqual([]);
    for (const m of text.matchAll(/\.github-action\/([a-z-]+\.sh)/g)) await expect(readFile(path.join(ROOT, '.github-action', m[1]!))).resolves.toBeDefined();
  });

  it('runs two shards with one seed (the run ID, cut to 31 bits) and merges them', async () => {
    const [one, two] = await Promise.all([1, 2].map((i) => step('fuzz.sh', inputs({ DPOP_FUZZ_SHARD: `${i}/2`, DPOP_FUZZ_OUT: `shards/shard-${i}` }))));
    expect([one!.code, two!.code]).toEqual([0, 0]);
    expect(one!.stderr).toMatch(new RegExp(`seed ${98765432109 % 2147483647}, 16 worker\\(s\\)( on \\d+ threads)?, shard 1/2`));
    const merged = await step('merge.sh', { DPOP_FUZZ_REPORTS: 'shards', DPOP_FUZZ_BASELINE: '', DPOP_FUZZ_OUT: 'merged' });
    expect(merged.code).toBe(0);
    const report = JSON.parse(await readFile(path.join(dir, 'merged', 'report.json'), 'utf8')) as FuzzReport;
    // 6 generated runs over both shards, and the 16 shipped hand-picked schedules, which shard 1 runs first
    // although the job's corpus folder is empty.
    expect(report).toMatchObject({ runs: 6 + 16, mergedShards: [1, 2] });
    expect(one!.stderr).toMatch(/16 hand-picked schedule\(s\) first/);
    await expect(readFile(path.join(dir, 'merged', 'junit.xml'), 'utf8')).resolves.toContain('<testsuites');
  }, 120_000);

  it('refuses both a command and a module, and a merge without reports, with an annotation', async () => {
    const both = await step('fuzz.sh', inputs({ DPOP_FUZZ_COMMAND: 'node client.js' }));
    expect(both).toMatchObject({ code: 2, stdout: '::error title=dpop-fuzz::give exactly one of the inputs command and module\n' });
    await cp(path.join(ROOT, 'README.md'), path.join(dir, 'empty', 'README.md'), { recursive: true });
    const none = await step('merge.sh', { DPOP_FUZZ_REPORTS: 'empty', DPOP_FUZZ_BASELINE: '', DPOP_FUZZ_OUT: 'm' });
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('no report.json under empty');
  });
});
