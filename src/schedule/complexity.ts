import { BASE_SCHEDULE } from './defaults.ts';
import { differsFromBase, SCHEDULE_SETTINGS } from './settings.ts';
import type { Schedule } from './types.ts';

/** Settings counted one event each; the challenge spelling and response delays are counted finer below. */
const COUNTED_WHOLE = SCHEDULE_SETTINGS.filter((setting) => setting.name !== 'mcp.challengeFormat' && setting.name !== 'responseDelays');

/**
 * How far a schedule is from `BASE_SCHEDULE`, in events: one per scheduled
 * server action, per non-default setting (per changed flag of the challenge
 * spelling), per response delay and per planned call beyond the first.
 * Shrinking drives this down; a minimal counterexample has only the events
 * its bug needs.
 */
export function scheduleEvents(s: Schedule): number {
  const base = BASE_SCHEDULE;
  const format = Object.keys(base.mcp.challengeFormat).filter(
    (k) => s.mcp.challengeFormat[k as keyof typeof s.mcp.challengeFormat] !== base.mcp.challengeFormat[k as keyof typeof base.mcp.challengeFormat],
  ).length;
  const actions = s.as.tokenRequests.length + s.mcp.post.length + s.mcp.get.length + s.mcp.delete.length;
  const calls = s.plan.reduce((n, step) => n + step.length, 0);
  const settings = COUNTED_WHOLE.filter((setting) => differsFromBase(s, setting)).length;
  return settings + format + actions + s.responseDelays.filter((d) => d > 0).length + Math.max(0, calls - 1);
}
