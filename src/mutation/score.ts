/**
 * The mutation score of a set of mutants, as Stryker defines it (detected of
 * the mutants that ran or had no coverage; compile and runtime errors do not
 * count), and the same with the mutants a verdict calls equivalent left out.
 */
import { isDetected, mutantKey, type MutantStatus, type ReportedMutant } from './stryker-report.ts';

export interface MutationCounts {
  readonly mutants: number;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Compile errors (refused by the type checker) and runtime errors: never judged. */
  readonly errors: number;
  /** Undetected mutants a verdict calls equivalent: left out of `scoreNonEquivalent`. */
  readonly equivalent: number;
  /** Detected / (mutants − errors), percent. */
  readonly score: number;
  /** Detected / (mutants − errors − equivalent), percent. */
  readonly scoreNonEquivalent: number;
}

export function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.round((1000 * part) / whole) / 10;
}

export function mutationCounts(mutants: readonly ReportedMutant[], equivalentKeys: ReadonlySet<string>): MutationCounts {
  const count = (s: MutantStatus) => mutants.filter((m) => m.status === s).length;
  const detected = mutants.filter((m) => isDetected(m.status)).length;
  const errors = count('RuntimeError') + count('CompileError');
  // Only a mutant that ran and lived can be equivalent: a key names a place, mutator and
  // replacement, so a type error ending elsewhere may share a survivor's key.
  const equivalent = mutants.filter((m) => (m.status === 'Survived' || m.status === 'NoCoverage') && equivalentKeys.has(mutantKey(m))).length;
  const ran = mutants.length - errors - count('Ignored');
  return {
    mutants: mutants.length,
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    errors,
    equivalent,
    score: percent(detected, ran),
    scoreNonEquivalent: percent(detected, ran - equivalent),
  };
}
