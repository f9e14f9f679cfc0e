export { referenceTarget } from '../../src/clients/target.ts';

/** `FUZZ=1` (set by `npm run fuzz`): long runs, random seeds, reports under reports/. */
export const FUZZING = process.env.FUZZ === '1';

/** Runs per property: `FUZZ_RUNS`, else `fallback` (the fixed, small count of `npm test`). */
export function fuzzRuns(fallback: number, fuzzDefault: number): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw !== undefined && /^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
  return FUZZING ? fuzzDefault : fallback;
}

/** A fixed seed under `npm test`; a random one under `npm run fuzz` (printed by the report). */
export function fuzzSeed(fixed: number): number {
  return FUZZING ? Math.floor(Math.random() * 2 ** 31) : fixed;
}
