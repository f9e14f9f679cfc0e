/**
 * `dpop-fuzz mutate` end to end on a few mutants of the real SDK (so the
 * Stryker configuration, the plugin and the module redirection cannot rot):
 * the htu helper of @modelcontextprotocol/client, which every proof uses.
 */
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MutationSummary } from '../../src/mutation/summary.ts';
import { cli } from '../cli/support/cli.ts';

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
