import { describe, expect, it } from 'vitest';
import { splitRuns } from '../../src/runner/split-runs.ts';
import { CoverageTally, formatStatistics } from '../../src/runner/statistics.ts';

describe('splitRuns', () => {
  it('shares runs out exactly, one seed per worker', () => {
    expect(splitRuns(10, 3, 100)).toEqual([
      { index: 0, seed: 100, runs: 4 },
      { index: 1, seed: 101, runs: 3 },
      { index: 2, seed: 102, runs: 3 },
    ]);
  });
  it('never starts more workers than runs, and wraps seeds to 32 bits', () => {
    expect(splitRuns(1, 8, 2 ** 31 - 1)).toEqual([{ index: 0, seed: 2 ** 31 - 1, runs: 1 }]);
    expect(splitRuns(2, 2, 2 ** 31 - 1)[1]!.seed).toBe(-(2 ** 31));
  });
});

describe('CoverageTally', () => {
  it('counts labels per dimension, most frequent first', () => {
    const tally = new CoverageTally();
    tally.add({ topology: 'same-origin', plan: '1' });
    tally.add({ topology: 'separate-origins', plan: '1' });
    tally.add({ topology: 'separate-origins', plan: '2' });
    expect(tally.toJSON()).toEqual({ topology: { 'separate-origins': 2, 'same-origin': 1 }, plan: { '1': 2, '2': 1 } });
    expect(formatStatistics(tally.toJSON())).toEqual(['topology  separate-origins 67% · same-origin 33%', 'plan      1 67% · 2 33%']);
  });
});
