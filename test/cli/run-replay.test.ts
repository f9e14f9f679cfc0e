import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzReport } from '../../src/report/types.ts';
import { PRESETS } from '../../src/schedule/presets.ts';
import { BIN, cli } from './support/cli.ts';

/** `dpop-fuzz run` and `replay` as users run them: separate processes, exit codes, files. */
const BROKEN = 'test/cli/fixtures/ignore-rs-nonce-client.ts';
let dir: string;


async function readReport(out: string): Promise<FuzzReport> {
  return JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as FuzzReport;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-run-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dpop-fuzz run', () => {
  it('finds, shrinks, reports and stores a counterexample; replay reproduces it', { timeout: 180_000 }, async () => {
    const out = path.join(dir, 'broken');
    const corpus = path.join(dir, 'corpus');
    // --stop-on-first: the one fault is all there is to find, so the search need not go on.
    const r = await cli(['run', '--module', BROKEN, '--runs', '200', '--seed', '5', '--stop-on-first', '--out', out, '--corpus', corpus, '--quiet'], 170_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('stopped: failure');
    expect(r.stdout).toContain('FAILURE sep-1932-client-rs-nonce');
    const report = await readReport(out);
    const bug = report.failures[0]!;
    expect(bug.checkIds).toEqual(['sep-1932-client-rs-nonce']);
    expect(bug.verdict).toBe('bug');
    expect(bug.replayCommand).toContain(`npx dpop-fuzz replay '${bug.corpusFile}' --module '${BROKEN}'`);
    const md = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('```mermaid');
    expect(md).toContain('sep-1932-client-rs-nonce');
    // Written the moment it was found, before shrinking.
    expect((await readdir(out)).some((f) => /^found-run-\d+\.json$/.test(f))).toBe(true);
    const stored = JSON.parse(await readFile(bug.corpusFile!, 'utf8')) as { client: string; checks: string[] };
    expect(stored).toMatchObject({ client: `module:${BROKEN}`, checks: ['sep-1932-client-rs-nonce'], expect: 'fail' });

    // The corpus entry names its client: replay needs nothing else.
    const replay = await cli(['replay', bug.corpusFile!]);
    expect(replay.code, replay.stderr).toBe(1);
    expect(replay.stdout).toMatch(/FAILURE\s+sep-1932-client-rs-nonce/);
    // The same schedule against the reference client: clean.
    const clean = await cli(['replay', path.join(out, 'report.json'), '--module', 'src/clients/reference.ts']);
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('--json prints a summary a program can read: exit code, each bug\'s checks and replay command, report paths', { timeout: 120_000 }, async () => {
    const clean = path.join(dir, 'json-clean');
    const ok = await cli(['run', '--module', 'src/clients/reference.ts', '--runs', '4', '--seed', '1', '--no-corpus', '--quiet', '--json', '--out', clean]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      exitCode: 0, runs: 4, shrinkRuns: 0, durationMs: expect.any(Number), seed: 1, stoppedBy: 'completed',
      report: { json: path.join(clean, 'report.json'), markdown: path.join(clean, 'report.md') },
      bugs: [], flaky: [], baseline: null, warnings: [],
    });
    const broken = path.join(dir, 'json-broken');
    const fail = await cli(['run', '--module', 'test/fixtures/threads/jti-counter-client.ts', '--runs', '50', '--seed', '3', '--stop-on-first', '--no-corpus', '--confirm', '1', '--max-shrink-runs', '20', '--json', '--out', broken], 110_000);
    expect(fail.code, fail.stderr).toBe(1);
    const summary = JSON.parse(fail.stdout) as { exitCode: number; stoppedBy: string; bugs: { checkIds: string[]; level: string; replayCommand: string; reproduced: number }[] };
    expect(summary).toMatchObject({ exitCode: 1, stoppedBy: 'failure' });
    expect(summary.bugs).toHaveLength(1);
    expect(summary.bugs[0]).toMatchObject({ level: 'FAILURE', reproduced: 1 });
    expect(summary.bugs[0]!.checkIds).toContain('sep-1932-client-unique-jti');
    expect(summary.bugs[0]!.replayCommand).toContain('dpop-fuzz replay');
    // The same bugs as report.json, which keeps the whole story.
    expect((await readReport(broken)).failures.map((f) => f.checkIds)).toEqual(summary.bugs.map((b) => b.checkIds));
  });

  it('with --fail-on warning, says WARNING for a counterexample made of WARNINGs', { timeout: 180_000 }, async () => {
    const corpus = path.join(dir, 'warning-corpus');
    await mkdir(path.join(corpus, 'hand-picked'), { recursive: true });
    const entry = { format: 'mcp-dpop-fuzz/corpus@1', title: 'a 503', client: 'any', expect: 'pass', checks: [], recorded: '2026-12-01', schedule: PRESETS['rs-transient-503'].schedule };
    await writeFile(path.join(corpus, 'hand-picked', 'transient.json'), JSON.stringify(entry));
    const out = path.join(dir, 'warning');
    const args = ['run', '--module', 'test/cli/fixtures/resend-after-transient-client.ts', '--runs', '1', '--seed', '3', '--fail-on', 'warning'];
    const r = await cli([...args, '--max-shrink-runs', '3', '--confirm', '1', '--corpus', corpus, '--out', out, '--quiet'], 170_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^WARNING sep-1932-client-fresh-proof-on-retry \(found at run/m);
    expect(r.stdout).toContain('  sep-1932-client-fresh-proof-on-retry (WARNING): ');
    expect(r.stdout).not.toMatch(/^FAILURE /m);
  });

  it('exits 0 for a conformant client and prints coverage statistics', { timeout: 180_000 }, async () => {
    const out = path.join(dir, 'clean');
    const r = await cli(['run', '--module', 'src/clients/reference.ts', '--runs', '25', '--seed', '9', '--out', out, '--no-corpus'], 170_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No FAILURE found.');
    expect(r.stdout).toMatch(/Coverage \(share of runs per schedule dimension\):\n\s+topology\s+/);
    const report = await readReport(out);
    expect(report).toMatchObject({ seed: 9, runs: 25, requestedRuns: 25, stoppedBy: 'completed', failures: [], flaky: [] });
  });

  it.each([
    [['run', '--module', BROKEN, '--runs', '0'], /--runs must be an integer ≥ 1/],
    [['run', '--module', BROKEN, '--seed', 'x'], /--seed must be an integer/],
    [['run', '--module', BROKEN, '--time-limit', 'forever'], /--time-limit must be a duration/],
    [['run', '--module', BROKEN, '--fail-on', 'never'], /--fail-on must be failure or warning/],
    [['run', '--module', BROKEN, '--corpus', 'x', '--no-corpus'], /--corpus <dir> or --no-corpus/],
    [['run', '--command', 'definitely-not-a-command-7f3a', '--runs', '3', '--no-corpus'], /client command not found: definitely-not-a-command-7f3a/],
    [['replay'], /give the file to replay first/],
    [['replay', 'no-such-file.json', '--module', BROKEN], /cannot read no-such-file\.json: ENOENT/],
  ])('%j exits 2 with a clear message', { timeout: 60_000 }, async (args, message) => {
    const r = await cli([...args, '--out', path.join(dir, 'usage')].filter((a, i, all) => !(args[0] === 'replay' && (a === '--out' || all[i - 1] === '--out'))));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unwritable --out before fuzzing', { timeout: 60_000 }, async () => {
    const r = await cli(['run', '--module', BROKEN, '--no-corpus', '--out', '/dev/null/report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write to --out /dev/null/report: ENOTDIR');
  });

  it('names a corrupt corpus file', { timeout: 60_000 }, async () => {
    const corpus = path.join(dir, 'bad-corpus');
    await rm(corpus, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(corpus, { recursive: true }));
    await writeFile(path.join(corpus, 'broken.json'), '{ nope');
    const r = await cli(['run', '--module', BROKEN, '--corpus', corpus, '--runs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`corpus file ${path.join(corpus, 'broken.json')} is not valid JSON`);
  });

  it('on Ctrl-C stops, writes the report and exits 130', { timeout: 120_000 }, async () => {
    const out = path.join(dir, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'run', '--module', 'src/clients/reference.ts', '--runs', '100000', '--seed', '3', '--out', out, '--no-corpus'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once runs are under way (the first progress line).
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/runs/.test(stderr.split('\n').slice(2).join('\n'))) {
          clearInterval(poll);
          resolve();
        }
      }, 100);
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const report = await readReport(out);
    expect(report.stoppedBy).toBe('interrupted');
    expect(report.runs).toBeGreaterThan(0);
    // Runs cut short are not judged: a conformant client is never blamed for the interruption.
    expect([...report.failures, ...report.flaky]).toEqual([]);
  });
});
