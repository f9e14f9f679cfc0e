import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzReport } from '../../src/report/types.ts';
import { cli, scratchCorpus } from './support/cli.ts';

/**
 * `dpop-fuzz run --expected-failures` as a nightly job uses it: with a
 * baseline naming both bugs of a two-fault client the run exits 0; without
 * one of them it exits 1 naming that bug; with an entry nothing fails it
 * exits 1 naming the stale entry. The entries' schedules and the hand-picked
 * corpus run first, as in a nightly job, so the verdicts do not depend on what
 * a short random search happens to reach.
 */
const CLIENT = 'test/cli/fixtures/two-faults-client.ts';
const RS = 'auth/dpop-fuzz:sep-1932-client-rs-nonce';
const HTU = 'auth/dpop-fuzz:sep-1932-client-htm-htu-match';
const SCHEDULES = `dpop-fuzz:
  schedules:
    ${RS}:
      mcp: { post: [{ kind: use-dpop-nonce, nonce: baseline-n1 }] }
    ${HTU}:
      mcp: { query: "page=1" }
`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-baseline-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runWith(name: string, baseline: string): Promise<{ code: number; stdout: string; report: FuzzReport }> {
  const file = path.join(dir, `${name}.yml`);
  await writeFile(file, baseline);
  const out = path.join(dir, name);
  const corpus = await scratchCorpus(path.join(dir, name));
  const r = await cli(['run', '--module', CLIENT, '--runs', '8', '--seed', '3', '--workers', '2', '--corpus', corpus, '--confirm', '1', '--expected-failures', file, '--out', out, '--quiet'], 170_000);
  expect(r.stderr).not.toMatch(/error:/);
  return { code: r.code, stdout: r.stdout, report: JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as FuzzReport };
}

describe('dpop-fuzz run --expected-failures', () => {
  it.concurrent('exits 0 when every bug is known', { timeout: 180_000 }, async () => {
    const { code, stdout, report } = await runWith('known', `client:\n  - ${RS}\n  - ${HTU}\n${SCHEDULES}`);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('2 known, 0 new, 0 stale');
    expect(stdout).toMatch(/KNOWN FAILURE sep-1932-client-rs-nonce/);
    expect(report.baseline?.known.map((k) => k.checkIds).sort()).toEqual([['sep-1932-client-htm-htu-match'], ['sep-1932-client-rs-nonce']]);
    expect(report.baseline?.exitCode).toBe(0);
  });

  it.concurrent('exits 1 naming a bug the baseline does not list', { timeout: 180_000 }, async () => {
    const only = `client:\n  - ${RS}\ndpop-fuzz:\n  schedules:\n    ${RS}:\n      mcp: { post: [{ kind: use-dpop-nonce, nonce: baseline-n1 }] }\n`;
    const { code, stdout } = await runWith('new', only);
    expect(code, stdout).toBe(1);
    expect(stdout).toMatch(/NEW FAILURE (\S+, )*sep-1932-client-htm-htu-match/);
    expect(stdout).toMatch(/NEW bug: sep-1932-client-htm-htu-match \(\d+ run\(s\)\); not in the baseline/);
    expect(stdout).toContain('1 known, 1 new, 0 stale');
  });

  it.concurrent('exits 1 naming an entry that no longer fails', { timeout: 180_000 }, async () => {
    const stale = `client:\n  - ${RS}\n  - ${HTU}\n  - auth/dpop-fuzz:sep-1932-client-ath\n${SCHEDULES}`;
    const { code, stdout } = await runWith('stale', stale);
    expect(code, stdout).toBe(1);
    expect(stdout).toContain('STALE auth/dpop-fuzz:sep-1932-client-ath: failed in no run');
    expect(stdout).toContain('2 known, 0 new, 1 stale');
  });
});

describe('bad --expected-failures', () => {
  it('exits 2 naming the file and the entry', async () => {
    const file = path.join(dir, 'typo.yml');
    await writeFile(file, 'client:\n  - auth/dpop-fuzz: sep-1932-client-ath\n');
    const r = await cli(['run', '--module', CLIENT, '--runs', '1', '--no-corpus', '--expected-failures', file, '--out', path.join(dir, 'typo')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Remove the space after the colon: 'auth/dpop-fuzz:sep-1932-client-ath'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects --stop-on-first with --max-bugs', async () => {
    const r = await cli(['run', '--module', CLIENT, '--stop-on-first', '--max-bugs', '2', '--no-corpus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --max-bugs <n> or --stop-on-first, not both');
  });
});
