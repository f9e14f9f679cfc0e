import { BASE_SCHEDULE } from './defaults.ts';
import type { Schedule } from './types.ts';

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/**
 * How far a schedule is from `BASE_SCHEDULE`, in events: one per scheduled
 * server action, per non-default setting, per response delay and per planned
 * call beyond the first. Shrinking drives this down; a minimal counterexample
 * has only the events its bug needs.
 */
export function scheduleEvents(s: Schedule): number {
  const base = BASE_SCHEDULE;
  const settings: [unknown, unknown][] = [
    [s.topology, base.topology],
    [s.as.algs, base.as.algs],
    [s.as.tokenType, base.as.tokenType],
    [s.as.tokenPath, base.as.tokenPath],
    [s.as.tokenQuery, base.as.tokenQuery],
    [s.as.tokenRedirect, base.as.tokenRedirect],
    [s.as.accessTokens, base.as.accessTokens],
    [s.as.initialNonce === null, base.as.initialNonce === null],
    [s.as.then.kind, base.as.then.kind],
    [s.as.tokenLifetime, base.as.tokenLifetime],
    [s.as.refreshTokens, base.as.refreshTokens],
    [s.as.enforceAlgs, base.as.enforceAlgs],
    [s.mcp.path, base.mcp.path],
    [s.mcp.query, base.mcp.query],
    [s.mcp.initialNonce === null, base.mcp.initialNonce === null],
    [s.mcp.then.kind, base.mcp.then.kind],
    [s.mcp.challenge, base.mcp.challenge],
    [s.mcp.boundTokensRequired, base.mcp.boundTokensRequired],
    [s.mcp.redirect, base.mcp.redirect],
  ];
  const format = Object.keys(base.mcp.challengeFormat).filter(
    (k) => s.mcp.challengeFormat[k as keyof typeof s.mcp.challengeFormat] !== base.mcp.challengeFormat[k as keyof typeof base.mcp.challengeFormat],
  ).length;
  const actions = s.as.tokenRequests.length + s.mcp.post.length + s.mcp.get.length + s.mcp.delete.length;
  const calls = s.plan.reduce((n, step) => n + step.length, 0);
  return settings.filter(([a, b]) => differs(a, b)).length + format + actions + s.responseDelays.filter((d) => d > 0).length + Math.max(0, calls - 1);
}
