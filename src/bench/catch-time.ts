import { BROKEN_CLIENTS } from '../clients/broken-catalogue.ts';
import type { FaultName } from '../clients/faults.ts';
import { referenceTarget } from '../clients/target.ts';
import { cpuSince, cpuSnapshot } from './cpu.ts';
import type { BenchResult } from './result.ts';
import { benchResult, round, timedFuzz } from './timed-fuzz.ts';

export interface CatchScenario {
  readonly fault: FaultName;
  readonly seeds: readonly number[];
  readonly workers: number;
  /** Generated runs per seed before giving up. */
  readonly budgetRuns: number;
  readonly budgetMs: number;
}

/** The median (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Time and generated runs until the search first fails one of the checks the
 * broken client must fail (its catalogue entry), in-process, without corpus,
 * once per seed. The search stops there: shrinking is not timed.
 */
export async function measureCatch(scenario: CatchScenario): Promise<BenchResult> {
  const expected = BROKEN_CLIENTS[scenario.fault].expect;
  const failOn = Object.values(expected).includes('WARNING') ? 'warning' : 'failure';
  const times: number[] = [];
  const runsToCatch: number[] = [];
  let caught = 0;
  let runs = 0;
  const cpu = cpuSnapshot();
  const t0 = performance.now();
  for (const seed of scenario.seeds) {
    const started = performance.now();
    // Set from the callback: an array, so the type checker does not narrow it to its initial value.
    const found: { seconds: number; run: number }[] = [];
    const stop = new AbortController();
    const { report } = await timedFuzz({
      target: referenceTarget([scenario.fault]),
      clientName: `broken ${scenario.fault}`,
      runs: scenario.budgetRuns,
      seed,
      workers: scenario.workers,
      timeLimitMs: scenario.budgetMs,
      failOn,
      signal: stop.signal,
      onFound: ({ run, checkIds }) => {
        // Another check first (a consequence of the fault) is not the catch this scenario times.
        if (found.length > 0 || !checkIds.some((id) => Object.hasOwn(expected, id))) return;
        found.push({ seconds: (performance.now() - started) / 1000, run });
        stop.abort();
      },
    });
    runs += report.runs;
    const hit = found[0];
    if (hit !== undefined) caught++;
    times.push(hit?.seconds ?? scenario.budgetMs / 1000);
    runsToCatch.push(hit?.run ?? report.runs);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    ...benchResult(`catch ${scenario.fault}`, 'in-process', scenario.workers, runs, seconds, cpuSince(cpu)),
    catch: { fault: scenario.fault, seeds: [...scenario.seeds], caught, medianSeconds: round(median(times), 2), medianRuns: median(runsToCatch) },
  };
}
