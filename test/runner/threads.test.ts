/**
 * `fuzzOnThreads` (`run --module` on several threads): the threads together
 * run exactly the schedules of a one-thread run with the same seed and
 * workers, report each bug once, stop together at the bug limit and on
 * Ctrl-C, and carry a client that cannot load back as the driver's error.
 */
import { describe, expect, it } from 'vitest';
import { DriverError } from '../../src/driver/types.ts';
import { bugKey } from '../../src/runner/bug-book.ts';
import type { FoundCounterexample, FuzzOptions } from '../../src/runner/fuzz.ts';
import { fuzz } from '../../src/runner/fuzz.ts';
import { splitRuns, threadShares } from '../../src/runner/split-runs.ts';
import { fuzzOnThreads, searchCount } from '../../src/runner/threads/fuzz-on-threads.ts';

const REFERENCE = 'src/clients/reference.ts';
const BROKEN = 'test/fixtures/threads/jti-counter-client.ts';
const base = { clientName: 'client', seed: 5, workers: 4, timeoutMs: 20_000, examples: [], maxShrinkRuns: 20, confirmations: 1 } satisfies Omit<FuzzOptions, 'target' | 'runs'>;

describe('threadShares', () => {
  it('deals the searches out by position: each once, the first (the corpus) on thread 1', () => {
    const shares = splitRuns(30, 5, 9);
    const parts = [1, 2].map((index) => threadShares(shares, { index, count: 2 }));
    expect(parts.map((p) => p.map((s) => s.index))).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
  });

  it('splits a shard further, so threads and shards compose', () => {
    expect(searchCount({ runs: 100, workers: 6, seed: 1, shard: { index: 2, count: 2 } })).toBe(3);
    expect(searchCount({ runs: 2, workers: 6, seed: 1 })).toBe(2);
  });
});

describe('fuzzOnThreads', () => {
  it('runs the schedules of the one-thread run with the same seed and workers (the coverage tallies are equal)', async () => {
    const options = { ...base, target: { kind: 'module', path: REFERENCE }, runs: 24 } satisfies FuzzOptions;
    const progress: number[] = [];
    const threaded = await fuzzOnThreads({ ...options, onProgress: (p) => progress.push(p.runs) }, 2);
    const single = await fuzz(options);
    expect(threaded.failures).toEqual([]);
    expect([threaded.runs, threaded.requestedRuns, threaded.stoppedBy]).toEqual([24, 24, 'completed']);
    expect(threaded.statistics).toEqual(single.statistics);
    // Progress adds up the threads' runs.
    expect(progress.at(-1)).toBe(24);
  }, 60_000);

  it('reports a bug found on any thread once, with the run number it was announced under, and stops every thread at the bug limit', async () => {
    const found: FoundCounterexample[] = [];
    const stored: number[] = [];
    const report = await fuzzOnThreads(
      {
        ...base,
        target: { kind: 'module', path: BROKEN },
        runs: 400,
        maxBugs: 1,
        onFound: (f) => {
          found.push(f);
        },
        onCounterexample: async (f) => {
          stored.push(f.foundAtRun);
          return { replayCommand: `replay ${f.foundAtRun}`, corpusFile: null };
        },
      },
      2,
    );
    expect(report.stoppedBy).toBe('failure');
    expect(report.failures.map((f) => bugKey(f.checkIds))).toEqual(['sep-1932-client-unique-jti']);
    const bug = report.failures[0]!;
    expect(found.map((f) => f.run)).toContain(bug.foundAtRun);
    expect(stored).toContain(bug.foundAtRun);
    expect(bug.replayCommand).toBe(`replay ${bug.foundAtRun}`);
    // Every thread stopped exploring long before its share of 400 runs.
    expect(report.runs).toBeLessThan(40);
    expect(new Set(found.map((f) => f.run)).size).toBe(found.length);
  }, 60_000);

  it("stops every thread's clients on Ctrl-C and still returns the report", async () => {
    const controller = new AbortController();
    const report = await fuzzOnThreads(
      {
        ...base,
        target: { kind: 'module', path: REFERENCE },
        runs: 5_000,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.runs >= 4) controller.abort();
        },
      },
      2,
    );
    expect(report.stoppedBy).toBe('interrupted');
    expect(report.runs).toBeLessThan(100);
  }, 60_000);

  it('ends the run with the error of a callback that throws, as fuzz does (no unhandled rejection)', async () => {
    const run = fuzzOnThreads(
      {
        ...base,
        target: { kind: 'module', path: BROKEN },
        runs: 400,
        onFound: () => {
          throw new Error('disk full');
        },
      },
      2,
    );
    await expect(run).rejects.toThrow('disk full');
  }, 60_000);

  it("rethrows a thread's DriverError with its message (a module without runClient)", async () => {
    const run = fuzzOnThreads({ ...base, target: { kind: 'module', path: 'test/fixtures/threads/no-client.ts' }, runs: 8 }, 2);
    await expect(run).rejects.toBeInstanceOf(DriverError);
    await expect(run).rejects.toThrow(/runClient/);
  }, 60_000);
});
