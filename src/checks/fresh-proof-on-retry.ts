import { describe, isTransientStatus, jtiClaim, previousAttempts, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §7.3 (RECOMMENDED): a retry after 429/503 carries a new proof. */
export const freshProofOnRetry: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-fresh-proof-on-retry';
  const retries = [...previousAttempts(trace)].flatMap(([seq, before]) =>
    isTransientStatus(before.status) && before.endpoint === 'mcp' ? [{ retry: trace.entries.find((e) => e.seq === seq)!, before }] : [],
  );
  if (retries.length === 0) return verdict(id, 'SKIPPED', 'No request was retried after a 429/503.');
  const stale = retries.filter(({ retry, before }) => {
    const jti = jtiClaim(retry);
    return jti !== null && jti === jtiClaim(before);
  });
  const s = stale[0];
  if (s) return verdict(id, 'WARNING', `${describe(s.retry)} resent the proof of #${s.before.seq} after ${s.before.status}; build a new proof for each attempt.`, stale.flatMap((x) => [x.before.seq, x.retry.seq]));
  return verdict(id, 'SUCCESS', `All ${retries.length} retr(ies) after 429/503 carried a new proof.`, retries.map((r) => r.retry.seq));
};
