import { describe, expect, it } from 'vitest';
import type { MutantStatus, ReportedMutant } from '../../src/mutation/stryker-report.ts';
import type { SurvivorVerdict } from '../../src/mutation/verdicts.ts';
import { currentMutants, passes, selfSummaryMarkdown, summarizeSelf } from '../../scripts/mutation-self-summary.ts';

let next = 0;
function mutant(file: string, status: MutantStatus, line = ++next): ReportedMutant {
  return { id: String(line), file, line, column: 1, end: { line, column: 6 }, mutator: 'BooleanLiteral', replacement: 'true', status, killedBy: [], reason: null, original: 'false', mutated: 'true' };
}
const key = (m: ReportedMutant): string => `${m.file}:${m.line}:1 BooleanLiteral true`;
const equivalent: SurvivorVerdict = { verdict: 'equivalent', reason: 'no input tells them apart' };

describe('the summary of npm run mutation', () => {
  const killed = Array.from({ length: 18 }, () => mutant('src/checks/ath.ts', 'Killed'));
  const timeout = mutant('src/dpop/jwk.ts', 'Timeout');
  const typeError = mutant('src/dpop/jwk.ts', 'CompileError');
  const survivor = mutant('src/checks/ath.ts', 'Survived');
  const uncovered = mutant('src/clients/dpop-fetch.ts', 'NoCoverage');

  it('scores each part and the total, compile errors left out, equivalent mutants left out of the second score', () => {
    const s = summarizeSelf([[...killed, timeout, typeError, survivor, uncovered]], new Map([[key(survivor), equivalent]]));
    expect(s.parts.map((p) => [p.part, p.mutants, p.killed + p.timeout, p.survived, p.noCoverage, p.errors, p.score, p.scoreNonEquivalent])).toEqual([
      ['src/checks/', 19, 18, 1, 0, 0, 94.7, 100],
      ['src/dpop/', 2, 1, 0, 0, 1, 100, 100],
      ['src/clients/', 1, 0, 0, 1, 0, 0, 0],
    ]);
    expect([s.total.killed + s.total.timeout, s.total.score, s.total.scoreNonEquivalent]).toEqual([19, 90.5, 95]);
    expect(s.survivors.map((x) => [x.key, x.verdict?.verdict ?? null])).toEqual([
      [key(survivor), 'equivalent'],
      [key(uncovered), null],
    ]);
    // One survivor without a verdict: not met, and the Markdown lists it.
    expect(passes(s)).toBe(false);
    expect(selfSummaryMarkdown(s)).toContain(`## Survivors without a verdict (1)\n\nAdd each`);
    expect(selfSummaryMarkdown(s)).toContain(`- \`${key(uncovered)}\``);
  });

  it('passes when every survivor has a verdict and the score reaches 90 %, and not below it', () => {
    const verdicts = new Map([[key(survivor), equivalent], [key(uncovered), { verdict: 'untested', reason: 'no schedule reaches it' } as const]]);
    expect(passes(summarizeSelf([[...killed, survivor, uncovered]], verdicts))).toBe(true); // 18 of 19 non-equivalent: 94.7 %
    expect(passes(summarizeSelf([[...killed.slice(0, 8), survivor, uncovered]], verdicts))).toBe(false); // 8 of 9: 88.9 %
  });

  it('merges part reports: the same mutant counts once and the later report wins', () => {
    const before = mutant('src/clients/dpop-key.ts', 'Survived', 500);
    const after = { ...before, status: 'Killed' as const };
    const s = summarizeSelf([[before, ...killed], [after]], new Map());
    expect(s.total.mutants).toBe(19);
    expect(s.survivors).toEqual([]);
  });

  it('keeps two mutants that start at one place with one replacement but end elsewhere (`a && b` and `a`)', () => {
    const whole = mutant('src/clients/dpop-fetch.ts', 'Killed', 600);
    const left = { ...whole, id: 'left', end: { line: 600, column: 3 }, status: 'Survived' as const };
    const s = summarizeSelf([[whole, left]], new Map());
    expect(s.total.mutants).toBe(2);
    expect(s.survivors.map((x) => x.mutant.id)).toEqual(['left']);
  });

  it('calls only a survivor equivalent, not a type error that shares its key (it ends elsewhere)', () => {
    const lived = mutant('src/checks/ath.ts', 'Survived', 700);
    const refused = { ...lived, id: 'refused', end: { line: 700, column: 3 }, status: 'CompileError' as const };
    const s = summarizeSelf([[...killed, lived, refused]], new Map([[key(lived), equivalent]]));
    expect([s.total.errors, s.total.equivalent, s.total.score, s.total.scoreNonEquivalent]).toEqual([1, 1, 94.7, 100]);
  });

  it('flags verdicts for mutants of a mutated file that no longer survive, and only those', () => {
    const gone = 'src/checks/ath.ts:999:1 BooleanLiteral true';
    const elsewhere = 'src/checks/unique-jti.ts:1:1 BooleanLiteral true';
    const s = summarizeSelf([killed], new Map([[gone, equivalent], [elsewhere, equivalent]]));
    expect(s.stale).toEqual([gone]);
    expect(selfSummaryMarkdown(s)).toContain(`- \`${gone}\``);
  });

  it('counts a report\'s mutants of a file only while the file reads as that report saw it', () => {
    const old = mutant('src/clients/dpop-fetch.ts', 'Survived', 800);
    const fresh = mutant('src/clients/dpop-fetch.ts', 'Killed', 801);
    const other = mutant('src/dpop/jwk.ts', 'Killed', 802);
    const now = new Map([['src/clients/dpop-fetch.ts', 'v2'], ['src/dpop/jwk.ts', 'same']]);
    const current = (file: string) => now.get(file) ?? null;
    const older = { mutants: [old, other], sources: new Map([['src/clients/dpop-fetch.ts', 'v1'], ['src/dpop/jwk.ts', 'same']]) };
    const newer = { mutants: [fresh], sources: new Map([['src/clients/dpop-fetch.ts', 'v2']]) };
    expect(currentMutants([older, newer], current)).toEqual({ mutants: [[other], [fresh]], outdated: [] });
    // Without the newer report, dpop-fetch.ts changed since its only run: its mutants are left out and it is listed.
    const { mutants, outdated } = currentMutants([older], current);
    expect({ mutants, outdated }).toEqual({ mutants: [[other]], outdated: ['src/clients/dpop-fetch.ts'] });
    const s = summarizeSelf(mutants, new Map(), outdated);
    expect(passes(s)).toBe(false);
    expect(selfSummaryMarkdown(s)).toContain('## Files changed since their last mutation run (1)');
    expect(passes(summarizeSelf(mutants, new Map()))).toBe(true);
    // A file that is gone is neither counted nor listed.
    expect(currentMutants([older], (file) => (file === 'src/dpop/jwk.ts' ? 'same' : null))).toEqual({ mutants: [[other]], outdated: [] });
  });
});
