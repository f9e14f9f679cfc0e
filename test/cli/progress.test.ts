import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/parse-duration.ts';
import { createProgressDisplay, progressLine } from '../../src/cli/progress.ts';
import { UsageError } from '../../src/cli/usage-error.ts';

const p = (runs: number, elapsedMs: number, failures = 0, shrinking = false) => ({ runs, requestedRuns: 100, shrinkRuns: 0, failures, shrinking, elapsedMs });

describe('progress', () => {
  it('states runs, rate, distinct failures and ETA (exploration goes on while one is shrunk)', () => {
    expect(progressLine(p(25, 5000))).toBe('25/100 runs · 5.0 runs/s · 0 failures · ETA 15s');
    expect(progressLine(p(25, 5000, 1, true))).toBe('25/100 runs · 5.0 runs/s · 1 failure (shrinking) · ETA 15s');
    expect(progressLine(p(50, 5000, 2))).toBe('50/100 runs · 10.0 runs/s · 2 failures · ETA 5s');
  });

  it('prints plain lines at most every 10 s when not on a terminal', () => {
    const out = new PassThrough();
    let now = 0;
    const display = createProgressDisplay(out, false, () => now);
    display.update(p(1, 0));
    now = 5000;
    display.update(p(2, 5000));
    now = 10_001;
    display.update(p(3, 10_001));
    display.done();
    expect(String(out.read()).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('redraws one line on a terminal and clears it at the end', () => {
    const out = new PassThrough();
    const display = createProgressDisplay(out, true, () => 1000);
    display.update(p(50, 1000));
    display.done();
    const text = String(out.read());
    expect(text).toContain('[############------------] 50/100 runs');
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1500ms', 1500],
    ['45', 45_000],
  ])('%s', (text, ms) => expect(parseDuration('time-limit', text)).toBe(ms));
  it.each(['', 'soon', '-5m', '0s', '1d'])('rejects %j', (text) => expect(() => parseDuration('time-limit', text)).toThrow(UsageError));
});
