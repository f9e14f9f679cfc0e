/**
 * `dpop-fuzz mutate` end to end on a few mutants of the real SDK (so the
 * Stryker configuration, the plugin and the module redirection cannot rot):
 * the htu helper of @modelcontextprotocol/client, which every proof uses.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MutationSummary } from '../../src/mutation/summary.ts';
import { BIN, cli } from '../cli/support/cli.ts';

describe('dpop-fuzz mutate (smoke)', () => {
  it('kills the mutants of the SDK htu helper and names the check', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'mutate-smoke-'));
    const { code, stdout, stderr } = await cli(
      ['mutate', '--module', 'examples/sdk-v2-client/client.ts', '--mutate', 'dist/index.mjs#stripQueryAndFragment', '--no-corpus', '--runs', '3', '--replays', '1', '--concurrency', '2', '--out', out, '--quiet'],
      120_000,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/@modelcontextprotocol\/client@2\.4\.0: \d+ mutants/);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as MutationSummary;
    expect(summary.mutants.length).toBeGreaterThanOrEqual(2);
    // Breaking htu is caught by the check that compares it with the request.
    expect(summary.mutants.every((m) => m.dpopFuzz.status === 'Killed')).toBe(true);
    expect(Object.keys(summary.killers)).toContain('sep-1932-client-htm-htu-match');
    expect((await stat(path.join(out, 'index.html'))).size).toBeGreaterThan(1000);
    expect(await readFile(path.join(out, 'summary.md'), 'utf8')).toContain('## Score');
  }, 150_000);

  it('on Ctrl-C ends Stryker and its workers, removes the work directory and exits 130', async () => {
    // The work directory goes to the child's own TMPDIR, so this test can look for leftovers there.
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'mutate-interrupt-'));
    const args = ['mutate', '--module', 'examples/sdk-v2-client/client.ts', '--mutate', 'dist/index.mjs#stripQueryAndFragment', '--no-corpus', '--runs', '3', '--replays', '1', '--out', path.join(tmp, 'out')];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // Interrupt once Stryker has started.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/as the oracle/.test(stderr)) {
          clearInterval(poll);
          resolve();
        }
      }, 100);
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect((await readdir(tmp)).filter((name) => name.startsWith('dpop-fuzz-mutate-'))).toEqual([]);
    // Nothing started for the run is still alive (Stryker's command line names its options file in the work directory).
    const alive = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(tmp) && !line.includes('ps -eo'));
    expect(alive).toEqual([]);
    await rm(tmp, { recursive: true, force: true });
  }, 120_000);

  it('refuses a selector that names nothing, before any Stryker run', async () => {
    const { code, stderr } = await cli(['mutate', '--module', 'examples/sdk-v2-client/client.ts', '--mutate', 'dist/index.mjs#noSuchFunction', '--no-corpus', '--runs', '1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^dpop-fuzz: mutate selector "dist\/index\.mjs#noSuchFunction": no region or declaration named "noSuchFunction"/);
  });

  it('refuses a package that is not installed', async () => {
    const { code, stderr } = await cli(['mutate', '--module', 'examples/sdk-v2-client/client.ts', '--package', 'no-such-package-xyz', '--mutate', 'index.js']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/package no-such-package-xyz is not installed/);
  });
});
