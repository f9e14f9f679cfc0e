import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FuzzReport } from '../../src/report/types.ts';
import { cli, scratchCorpus } from './support/cli.ts';

/**
 * One `dpop-fuzz run` on a client with three independent faults reports
 * each as its own shrunk, confirmed bug, as a nightly job runs it
 * (hand-picked corpus first, then generated schedules). In process, for
 * speed: `node bin/broken-client.js ignore-rs-nonce,htu-with-query,token-type-case-sensitive`
 * is the same client as a command.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-keep-going-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('reports every fault of a client with three as its own bug', { timeout: 300_000 }, async () => {
  const corpus = await scratchCorpus(dir);
  const out = path.join(dir, 'out');
  const client = 'test/cli/fixtures/three-faults-client.ts';
  const r = await cli(['run', '--module', client, '--runs', '40', '--seed', '4', '--workers', '2', '--confirm', '2', '--corpus', corpus, '--out', out, '--quiet'], 290_000);
  expect(r.code, r.stderr).toBe(1);
  const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as FuzzReport;
  expect(report.stoppedBy).toBe('completed');
  const sets = report.failures.map((f) => f.checkIds);
  // Each fault is named by the check it breaks; a bug's set may also hold checks its fault breaks on the way.
  for (const check of ['sep-1932-client-rs-nonce', 'sep-1932-client-htm-htu-match', 'sep-1932-client-completes']) {
    expect(sets.some((s) => s.includes(check)), `${check} in ${JSON.stringify(sets)}`).toBe(true);
  }
  for (const bug of report.failures) {
    expect(bug.verdict).toBe('bug');
    expect(bug.confirmation.reproduced).toBeGreaterThan(0);
    expect(bug.corpusFile).not.toBeNull();
  }
  // One corpus entry per bug, and the summary names each.
  for (const bug of report.failures) expect(r.stdout).toContain(`FAILURE ${bug.checkIds.join(', ')}`);
  expect(new Set(report.failures.map((f) => f.corpusFile)).size).toBe(report.failures.length);
});
