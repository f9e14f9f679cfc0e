/**
 * `--shard i/n` and `dpop-fuzz merge`: the shards of a run together run
 * exactly the unsharded run's schedules, and their merged report tells the
 * same story (fixed seeds, in-process clients).
 */
import { describe, expect, it } from 'vitest';
import { referenceTarget } from '../../src/clients/target.ts';
import { mergeReports, MergeError } from '../../src/report/merge.ts';
import type { FuzzReport } from '../../src/report/types.ts';
import { bugKey } from '../../src/runner/bug-book.ts';
import { fuzz, type FuzzOptions } from '../../src/runner/fuzz.ts';
import { shardShares, splitRuns } from '../../src/runner/split-runs.ts';

describe('shardShares', () => {
  it('splits the searches of a run over the shards: each once, search 0 (the corpus) in shard 1', () => {
    const shares = splitRuns(23, 6, 40);
    const parts = [1, 2, 3, 4].map((index) => shardShares(shares, { index, count: 4 }));
    expect(parts.map((p) => p.map((s) => s.index))).toEqual([[0, 4], [1, 5], [2], [3]]);
    expect(parts.flat().sort((a, b) => a.index - b.index)).toEqual(shares);
  });
});

describe('a run split in two shards and merged', () => {
  const base = {
    target: referenceTarget(['ath-hex', 'ignore-rs-nonce']),
    clientName: 'broken',
    runs: 40,
    seed: 11,
    workers: 4,
    timeoutMs: 20_000,
    examples: [],
    maxShrinkRuns: 30,
    confirmations: 1,
  } satisfies FuzzOptions;
  const keys = (r: FuzzReport) => r.failures.map((f) => bugKey(f.checkIds)).sort();

  it('reports the bugs, runs, failed checks and coverage of the unsharded run', async () => {
    const whole = await fuzz(base);
    const shards = [await fuzz({ ...base, shard: { index: 1, count: 2 } }), await fuzz({ ...base, shard: { index: 2, count: 2 } })];
    expect(shards.map((s) => [s.shard, s.requestedRuns])).toEqual([
      [{ index: 1, count: 2 }, 20],
      [{ index: 2, count: 2 }, 20],
    ]);
    const merged = mergeReports(shards);
    expect(keys(whole).length).toBeGreaterThan(0);
    expect(keys(merged)).toEqual(keys(whole));
    expect(merged).toMatchObject({ runs: whole.runs, requestedRuns: 40, mergedShards: [1, 2], failedChecks: whole.failedChecks, statistics: whole.statistics, warnings: [] });
    expect(merged.shard).toBeUndefined();
    // Every run that hit a bug is counted once, whichever shard ran it.
    const hits = (r: FuzzReport) => Object.fromEntries(r.failures.map((f) => [bugKey(f.checkIds), f.hits]));
    expect(hits(merged)).toEqual(hits(whole));
  }, 120_000);
});

describe('mergeReports refuses reports of different runs', () => {
  const report = (over: Partial<FuzzReport>): FuzzReport => ({
    tool: { name: 'mcp-dpop-fuzz', version: '0' },
    client: { kind: 'command', name: 'c' },
    seed: 1,
    requestedRuns: 5,
    shard: { index: 1, count: 2 },
    runs: 5,
    shrinkRuns: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 10,
    stoppedBy: 'completed',
    maxBugs: null,
    failures: [],
    flaky: [],
    failedChecks: {},
    crashes: { runs: 0, schedules: [] },
    warnings: [],
    statistics: { topology: { 'same-origin': 5 } },
    ...over,
  });

  it.each([
    ['nothing', [], /no report to merge/],
    ['a whole run', [report({ shard: undefined })], /report 1 is not a shard report/],
    ['another seed', [report({}), report({ seed: 2, shard: { index: 2, count: 2 } })], /differ in seed \(1 and 2\)/],
    ['another client', [report({}), report({ client: { kind: 'command', name: 'd' }, shard: { index: 2, count: 2 } })], /differ in client/],
    ['another split', [report({}), report({ shard: { index: 2, count: 3 } })], /differ in shard count/],
    ['one shard twice', [report({}), report({})], /shard 1\/2 is given twice/],
  ] as const)('%s', (_, reports, message) => {
    expect(() => mergeReports(reports)).toThrow(MergeError);
    expect(() => mergeReports(reports)).toThrow(message);
  });

  it('merges what it has and names a missing shard; the slowest shard is the run time, Ctrl-C in one is the stop reason', () => {
    const merged = mergeReports([report({ durationMs: 30, stoppedBy: 'interrupted', shard: { index: 2, count: 3 } }), report({ shard: { index: 1, count: 3 } })]);
    expect(merged).toMatchObject({ mergedShards: [1, 2], runs: 10, durationMs: 30, stoppedBy: 'interrupted', statistics: { topology: { 'same-origin': 10 } } });
    expect(merged.warnings).toEqual(['shard(s) 3/3 missing: their runs are not in this report']);
  });
});
