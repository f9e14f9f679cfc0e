import { oneEventFewer } from '../schedule/removals.ts';
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

/** Removals, last event first: later answers are the ones a client meets least. */
const oneEventFewerFirst = (s: Schedule): Schedule[] => oneEventFewer(s).reverse();

/**
 * The last step of shrinking: every setting that still differs from the
 * default schedule is put back to its default, one at a time, and every
 * scheduled answer and planned call is left out, one at a time; a change is
 * kept while the schedule still fails (`stillFails` runs it and returns the
 * failing result, or null). fast-check's shrinker does not come back to a
 * setting it already shrank within one of its alternatives (an alg list, say),
 * and cannot shrink a corpus schedule at all (it has no generation history),
 * so without this a counterexample can keep events that have nothing to do
 * with the bug, and the report would show them as part of the cause. At most
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
    const resets = SCHEDULE_SETTINGS.filter((setting) => differsFromBase(current.schedule, setting)).map((setting) => (s: Schedule) => [setting.reset(s)]);
    // Removals are recomputed from the current schedule: indexes move once one is left out.
    for (const smaller of [...resets, oneEventFewerFirst]) {
      for (let i = 0; runs < budget; i++) {
        const candidates = smaller(current.schedule);
        if (i >= candidates.length) break;
        const candidate = valid(candidates[i]!);
        if (candidate === null) continue;
        runs++;
        const result = await stillFails(candidate);
        if (result === null) continue;
        current = { schedule: candidate, result };
        changed = true;
        // Kept: the same index now holds the next candidate.
        i--;
        if (smaller !== oneEventFewerFirst) break;
      }
    }
  }
  return { ...current, runs };
}
