import { differsFromBase, SCHEDULE_SETTINGS } from '../schedule/settings.ts';
import type { Schedule } from '../schedule/types.ts';
import { parseSchedule } from '../schedule/validate.ts';
import type { RunOnceResult } from './run-once.ts';

/** A counterexample: a schedule and the run that showed it failing. */
export interface Counterexample {
  readonly schedule: Schedule;
  readonly result: RunOnceResult;
}

/** A schedule with `reset` applied, or null when that makes it invalid (e.g. Bearer-only challenges with bound tokens required). */
function valid(schedule: Schedule): Schedule | null {
  try {
    return parseSchedule(schedule);
  } catch {
    return null;
  }
}

/**
 * The last step of shrinking: every setting that still differs from the
 * default schedule is put back to its default, one at a time, and the change
 * is kept while the schedule still fails (`stillFails` runs it and returns
 * the failing result, or null). fast-check's shrinker does not come back to a
 * setting it already shrank within one of its alternatives (an alg list, say),
 * so without this a counterexample can keep a setting that has nothing to do
 * with the bug, and the report would show it as part of the cause. At most
 * `budget` runs.
 */
export async function simplify(
  start: Counterexample,
  stillFails: (schedule: Schedule) => Promise<RunOnceResult | null>,
  budget: number,
): Promise<Counterexample & { readonly runs: number }> {
  let current = start;
  let runs = 0;
  for (let changed = true; changed && runs < budget; ) {
    changed = false;
    for (const setting of SCHEDULE_SETTINGS) {
      if (runs >= budget) break;
      if (!differsFromBase(current.schedule, setting)) continue;
      const candidate = valid(setting.reset(current.schedule));
      if (candidate === null) continue;
      runs++;
      const result = await stillFails(candidate);
      if (result === null) continue;
      current = { schedule: candidate, result };
      changed = true;
    }
  }
  return { ...current, runs };
}
