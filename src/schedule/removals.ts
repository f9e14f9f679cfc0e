import type { Schedule } from './types.ts';

function without<T>(list: readonly T[], index: number): T[] {
  return [...list.slice(0, index), ...list.slice(index + 1)];
}

/**
 * Every schedule one event smaller than `s`: one scheduled answer of either
 * server left out (later answers move up), one planned step, or one call of a
 * step left out (the plan keeps at least one call). Shrinking tries these on
 * counterexamples fast-check cannot shrink itself (a corpus or baseline
 * schedule has no generation history) and after fast-check, which may stop
 * at a local minimum.
 */
export function oneEventFewer(s: Schedule): Schedule[] {
  const out: Schedule[] = [];
  s.as.tokenRequests.forEach((_, i) => out.push({ ...s, as: { ...s.as, tokenRequests: without(s.as.tokenRequests, i) } }));
  for (const method of ['post', 'get', 'delete'] as const) {
    s.mcp[method].forEach((_, i) => out.push({ ...s, mcp: { ...s.mcp, [method]: without(s.mcp[method], i) } }));
  }
  const calls = s.plan.reduce((n, step) => n + step.length, 0);
  if (calls > 1) {
    s.plan.forEach((step, i) => {
      if (step.length < calls) out.push({ ...s, plan: without(s.plan, i) });
      if (step.length > 1) step.forEach((_, j) => out.push({ ...s, plan: s.plan.map((st, k) => (k === i ? without(st, j) : st)) }));
    });
  }
  return out;
}
