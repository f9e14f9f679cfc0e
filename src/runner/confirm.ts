import type { Schedule } from '../schedule/types.ts';
import type { RunOnceResult } from './run-once.ts';

/** How many of `replays` runs of a schedule reproduced one of the checks. */
export interface Confirmation {
  readonly replays: number;
  readonly reproduced: number;
}

/** Which verdicts count as a counterexample: FAILURE only (MUST checks), or WARNING too (SHOULD checks). */
export type FailOn = 'failure' | 'warning';

/** The distinct checks a run failed under `failOn`. */
export function failedCheckIds(result: RunOnceResult, failOn: FailOn = 'failure'): string[] {
  return [...new Set(failuresAmong(result, null, failOn).map((r) => r.id))];
}

/** The results of a run that count as failing under `failOn`, among `checkIds` (all when null). */
export function failuresAmong(result: RunOnceResult, checkIds: ReadonlySet<string> | null, failOn: FailOn = 'failure'): RunOnceResult['results'] {
  return result.results.filter((r) => (r.status === 'FAILURE' || (failOn === 'warning' && r.status === 'WARNING')) && (checkIds === null || checkIds.has(r.id)));
}

/**
 * Replays a schedule `replays` times and counts the runs that `reproduces`
 * accepts (the same bug again). A verdict is only called a bug once a replay
 * reproduces it.
 */
export async function confirm(
  run: (schedule: Schedule) => Promise<RunOnceResult | null>,
  schedule: Schedule,
  reproduces: (result: RunOnceResult) => boolean,
  replays: number,
  stopped: () => boolean,
): Promise<Confirmation & { readonly last: RunOnceResult | null }> {
  let reproduced = 0;
  let done = 0;
  let last: RunOnceResult | null = null;
  for (let i = 0; i < replays && !stopped(); i++) {
    const result = await run(schedule);
    if (result === null) break;
    done++;
    if (reproduces(result)) {
      reproduced++;
      last = result;
    }
  }
  return { replays: done, reproduced, last };
}
