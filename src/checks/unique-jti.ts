import { jtiClaim, transientRetries, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** Fewer printable ASCII characters than this carry under 96 bits (log2(94) × 11 ≈ 72). */
const MIN_JTI_LENGTH = 12;

/** RFC 9449 §4 and §11.1: one proof per HTTP request, across both servers and the whole run. */
export const uniqueJti: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-unique-jti';
  const exempt = transientRetries(trace);
  const firstUse = new Map<string, number>();
  const reused: { seq: number; first: number; jti: string }[] = [];
  let count = 0;
  for (const e of trace.entries) {
    const jti = jtiClaim(e);
    if (jti === null) continue;
    count++;
    const first = firstUse.get(jti);
    if (first === undefined) firstUse.set(jti, e.seq);
    else if (!exempt.has(e.seq)) reused.push({ seq: e.seq, first, jti });
  }
  if (count === 0) return verdict(id, 'SKIPPED', 'No proof with a jti was sent.');
  const r = reused[0];
  if (r) {
    return verdict(id, 'FAILURE', `${reused.length} proof(s) reused a jti; #${r.seq} reused ${JSON.stringify(r.jti.slice(0, 40))} first sent in #${r.first}.`, reused.flatMap((x) => [x.first, x.seq]));
  }
  // RFC 9449 §11.1: jti needs ≥ 96 bits of randomness; 11 printable ASCII characters cannot hold that.
  const short = trace.entries.filter((e) => {
    const jti = jtiClaim(e);
    return jti !== null && jti.length < MIN_JTI_LENGTH;
  });
  if (short.length > 0) {
    return verdict(id, 'WARNING', `${short.length} jti value(s) are too short to hold 96 random bits (e.g. ${JSON.stringify(jtiClaim(short[0]!))}); collisions across clients become likely.`, short.map((e) => e.seq));
  }
  return verdict(id, 'SUCCESS', `All ${count} jti values were unique.`);
};
