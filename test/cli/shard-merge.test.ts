/** `run --shard i/n` and `merge` as users run them: separate processes, exit codes, files on disk. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceTarget } from '../../src/clients/target.ts';
import type { FuzzReport } from '../../src/report/types.ts';
import { writeReport } from '../../src/report/write.ts';
import { fuzz } from '../../src/runner/fuzz.ts';
import { cli } from './support/cli.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-shard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dpop-fuzz run --shard and merge', () => {
  it('runs each shard of a clean client and merges them into one report (exit 0)', async () => {
    const shard = (i: number) => cli(['run', '--module', 'src/clients/reference.ts', '--runs', '6', '--seed', '3', '--shard', `${i}/2`, '--no-corpus', '--quiet', '--out', path.join(dir, `clean-${i}`)]);
    const [one, two] = await Promise.all([shard(1), shard(2)]);
    expect([one.code, two.code]).toEqual([0, 0]);
    // The --module default of 8 searches, dealt out over one thread per two cores.
    expect(one.stderr).toMatch(/6 runs, seed 3, 8 worker\(s\)( on \d threads)?, shard 1\/2/);
    const merged = await cli(['merge', path.join(dir, 'clean-1', 'report.json'), path.join(dir, 'clean-2', 'report.json'), '--out', path.join(dir, 'clean')]);
    expect(merged).toMatchObject({ code: 0 });
    expect(merged.stdout).toContain('Merged 2 shard report(s) (1, 2 of 2): 6 runs, 0 bug(s), 0 flaky.');
    const report = JSON.parse(await readFile(path.join(dir, 'clean', 'report.json'), 'utf8')) as FuzzReport;
    expect(report).toMatchObject({ runs: 6, requestedRuns: 6, mergedShards: [1, 2] });
    expect(await readFile(path.join(dir, 'clean', 'report.md'), 'utf8')).toContain('merged from 2 shards (1, 2)');
  }, 90_000);

  it('exits 1 when a shard found a bug, naming it once', async () => {
    const files: string[] = [];
    for (const index of [1, 2]) {
      const report = await fuzz({ target: referenceTarget(['ath-hex']), clientName: 'broken', runs: 8, seed: 5, workers: 2, timeoutMs: 20_000, examples: [], maxShrinkRuns: 20, confirmations: 1, shard: { index, count: 2 } });
      const out = path.join(dir, `broken-${index}`);
      files.push(await writeReport(out, report));
    }
    const merged = await cli(['merge', ...files, '--out', path.join(dir, 'broken')]);
    expect(merged.code).toBe(1);
    expect(merged.stdout.match(/sep-1932-client-ath/g)).toHaveLength(1);
  }, 90_000);

  it.each([
    [['run', '--module', 'x.ts', '--shard', '3/2'], /--shard must be i\/n with 1 <= i <= n, e\.g\. 2\/4, got "3\/2"/],
    [['run', '--module', 'x.ts', '--shard', 'half'], /--shard must be i\/n/],
    [['run', '--module', 'x.ts', '--shard', '1/8', '--workers', '4'], /give --workers 8 or more/],
    [['merge'], /merge: give the report.json of every shard/],
    [['merge', 'no-such-report.json'], /no-such-report\.json/],
  ])('refuses %j with exit status 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a corrupt report and a report that is no shard', async () => {
    const corrupt = path.join(dir, 'corrupt.json');
    await writeFile(corrupt, '{"tool":');
    expect((await cli(['merge', corrupt])).code).toBe(2);
    const whole = path.join(dir, 'whole');
    await cli(['run', '--module', 'src/clients/reference.ts', '--runs', '1', '--seed', '3', '--no-corpus', '--quiet', '--out', whole]);
    const r = await cli(['merge', path.join(whole, 'report.json')]);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toContain('merge: report 1 is not a shard report (no --shard)');
  }, 60_000);

  it('shows merge in the command list and has its own help', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/^ {2}merge {5}merge the reports of a run split with --shard i\/n$/m);
    const help = await cli(['merge', '--help']);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/^Usage: dpop-fuzz merge <report\.json>\.\.\./);
  });
});
