import type { FaultName } from '../../src/clients/faults.ts';
import { runClient } from '../../src/clients/reference.ts';
import type { ClientTarget } from '../../src/driver/types.ts';

/** The reference client (or a broken variant) as an in-process target. */
export function referenceTarget(faults: readonly FaultName[] = []): ClientTarget {
  return {
    kind: 'function',
    name: faults.length === 0 ? 'node bin/reference-client.js' : `node bin/broken-client.js ${faults.join(',')}`,
    run: (url, o) => runClient(url, { context: o.context, signal: o.signal, log: o.log, fetch: o.fetch, faults }),
  };
}

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
