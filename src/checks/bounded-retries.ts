import { previousAttempts, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §8/§9: consecutive nonce challenges for one request must not cause a retry storm. */
export const boundedRetries: CheckFn = ({ trace, options }) => {
  const id = 'sep-1932-client-bounded-retries';
  if (trace.capped) {
    return verdict(id, 'FAILURE', `The client sent more than ${trace.entries.length} requests; the servers stopped serving (retry storm).`, trace.entries.slice(-5).map((e) => e.seq));
  }
  const prev = previousAttempts(trace);
  const streak = new Map<number, number>();
  let worst = 0;
  for (const e of trace.entries) {
    const before = prev.get(e.seq);
    const n = before && before.error === 'use_dpop_nonce' ? (streak.get(before.seq) ?? 0) + 1 : 0;
    streak.set(e.seq, n);
    worst = Math.max(worst, n);
    if (n > options.maxRetries) {
      return verdict(id, 'FAILURE', `#${e.seq} is retry ${n} of one request after consecutive use_dpop_nonce challenges (limit ${options.maxRetries}).`, [before!.seq, e.seq]);
    }
  }
  const challenged = trace.entries.some((e) => e.error === 'use_dpop_nonce');
  if (!challenged) return verdict(id, 'SKIPPED', 'No nonce challenge in this run.');
  return verdict(id, 'SUCCESS', `At most ${worst} consecutive nonce retr(ies) for one request (limit ${options.maxRetries}).`);
};
