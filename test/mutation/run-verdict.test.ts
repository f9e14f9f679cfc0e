import { describe, expect, it } from 'vitest';
import { CLIENT_CRASHED, killMessage, newFailures } from '../../src/mutation/run-verdict.ts';
import { killingKeys } from '../../src/mutation/summary.ts';
import { mutantKey, mutantLines } from '../../src/mutation/stryker-report.ts';

describe('mutation kills', () => {
  const verdict = new Map([
    [CLIENT_CRASHED, 'exit code 1'],
    ['sep-1932-client-ath', 'FAILURE: no ath'],
    ['sep-1932-client-bound-tokens-required', 'FAILURE: Bearer token'],
  ]);

  it('counts only failures the unmutated package never showed under the schedule, checks before symptoms', () => {
    expect(newFailures(verdict, new Set(['sep-1932-client-bound-tokens-required']))).toEqual(['sep-1932-client-ath', CLIENT_CRASHED]);
    expect(newFailures(verdict, new Set(verdict.keys()))).toEqual([]);
  });

  it('writes a kill message the summary reads the cause back from', () => {
    const message = killMessage(verdict, ['sep-1932-client-ath', CLIENT_CRASHED]);
    expect(killingKeys(message)).toEqual(['sep-1932-client-ath', CLIENT_CRASHED]);
    expect(killingKeys(null)).toEqual([]);
  });

  it('shows a mutant as the lines before and after, keyed by place, mutator and replacement', () => {
    const source = 'const a = 1;\nif (dpop) set("DPoP", proof);\nreturn a;';
    const m = { location: { start: { line: 2, column: 5 }, end: { line: 2, column: 9 } }, replacement: 'true' };
    expect(mutantLines(source, m)).toEqual({ original: 'if (dpop) set("DPoP", proof);', mutated: 'if (true) set("DPoP", proof);' });
    expect(mutantKey({ file: 'dist/x.mjs', line: 2, column: 5, mutator: 'ConditionalExpression', replacement: 'true' })).toBe('dist/x.mjs:2:5 ConditionalExpression true');
  });
});
