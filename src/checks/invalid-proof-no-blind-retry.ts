import { jtiClaim, previousAttempts, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §5 and §8: invalid_dpop_proof is not self-correcting. The client
 * must not resend the rejected proof, must not loop, and when it cannot
 * recover it must fail visibly, naming the error.
 */
export const invalidProofNoBlindRetry: CheckFn = ({ trace, outcome, options }) => {
  const id = 'sep-1932-client-invalid-proof-no-blind-retry';
  const rejected = trace.entries.filter((e) => e.error === 'invalid_dpop_proof');
  if (rejected.length === 0) return verdict(id, 'SKIPPED', 'No request was rejected with invalid_dpop_proof.');
  for (const r of rejected) {
    const jti = jtiClaim(r);
    const resent = jti === null ? undefined : trace.entries.find((e) => e.seq > r.seq && jtiClaim(e) === jti);
    if (resent) return verdict(id, 'FAILURE', `#${resent.seq} resent the proof rejected in #${r.seq} (same jti).`, [r.seq, resent.seq]);
  }
  const prev = previousAttempts(trace);
  const streak = new Map<number, number>();
  for (const e of trace.entries) {
    const before = prev.get(e.seq);
    const n = before && before.error === 'invalid_dpop_proof' ? (streak.get(before.seq) ?? 0) + 1 : 0;
    streak.set(e.seq, n);
    if (n > options.maxRetries) {
      return verdict(id, 'FAILURE', `The client retried #${e.seq}'s request ${n} times in a row after invalid_dpop_proof (a loop).`, [before!.seq, e.seq]);
    }
  }
  // Requests the client needed: token requests before it got anything done, and MCP POSTs.
  // (A token request of a background refresh after the work was done proves nothing.)
  const gotWorkDone = trace.entries.some((e) => e.endpoint === 'mcp' && e.method === 'POST' && e.authorization.kind === 'credentials' && e.status >= 200 && e.status < 300);
  const unrecovered = rejected.filter((r) => {
    if (r.endpoint === 'token') return !gotWorkDone && !trace.tokens.some((t) => t.seq > r.seq);
    if (r.endpoint === 'mcp' && r.method === 'POST') return !trace.entries.some((e) => e.seq > r.seq && e.retryKey === r.retryKey && e.status >= 200 && e.status < 300);
    return false;
  });
  const u = unrecovered[0];
  if (u && !trace.capped) {
    if (outcome.timedOut) return verdict(id, 'FAILURE', `After invalid_dpop_proof on #${u.seq} the client hung until the timeout instead of failing.`, [u.seq]);
    if (outcome.exitCode === 0) {
      return verdict(id, 'FAILURE', `#${u.seq} was rejected with invalid_dpop_proof and never recovered, yet the client exited 0 (the error was swallowed).`, [u.seq]);
    }
    if (!/invalid_dpop_proof/i.test(`${outcome.stdout}\n${outcome.stderr}`)) {
      return verdict(id, 'WARNING', `The client failed after invalid_dpop_proof on #${u.seq}, but its output never names the error; make it actionable.`, [u.seq]);
    }
  }
  return verdict(id, 'SUCCESS', `${rejected.length} invalid_dpop_proof rejection(s) handled without blind retries.`, rejected.map((r) => r.seq));
};
