import { causalPasts } from './_internals/causality.ts';
import { deliveriesBy, describe, nonceClaim, previousAttempts, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * RFC 9449 §8.2 and §9: once a server supplied a nonce, the client's later
 * proofs to that server carry it (or a newer one), and only nonces that very
 * server issued. "Later" means causally later (see causality.ts), so a
 * request that overlapped the response is never blamed. Immediate retries
 * after a challenge are judged by the as-nonce / rs-nonce checks.
 */
export const newestNonce: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-newest-nonce';
  if (trace.nonces.length === 0) return verdict(id, 'SKIPPED', 'No server supplied a nonce in this run.');
  const sharedOrigin = originOf(trace.asOrigin) === originOf(trace.mcpOrigin);
  const past = causalPasts(trace);
  const prev = previousAttempts(trace);
  const failures: { seq: number[]; message: string }[] = [];
  const warnings: { seq: number[]; message: string }[] = [];
  let judged = 0;
  for (const e of trace.entries) {
    if ((e.endpoint !== 'token' && e.endpoint !== 'mcp') || !e.proof?.claims) continue;
    const sent = nonceClaim(e);
    const own = deliveriesBy(trace, e.server).filter((n) => n.seq < e.seq);
    if (sent !== null && !own.some((n) => n.value === sent)) {
      const foreign = trace.nonces.find((n) => n.server !== e.server && n.value === sent && n.seq < e.seq);
      const message = foreign
        ? `${describe(e)} sent the other server's nonce ${JSON.stringify(sent)} (from #${foreign.seq}); nonces belong to the server that issued them`
        : `${describe(e)} sent nonce ${JSON.stringify(sent)}, which this server never issued (a mangled or invented nonce)`;
      (foreign && sharedOrigin ? warnings : failures).push({ seq: foreign ? [foreign.seq, e.seq] : [e.seq], message });
      continue;
    }
    if (prev.get(e.seq)?.error === 'use_dpop_nonce') continue;
    const causal = past.get(e.seq) ?? new Set<number>();
    let newest = -1;
    own.forEach((n, i) => {
      if (causal.has(n.seq)) newest = i;
    });
    if (newest === -1) continue;
    judged++;
    const sentIndex = sent === null ? -1 : own.map((n) => n.value).lastIndexOf(sent);
    if (sentIndex >= newest) continue;
    const supplier = own[newest]!;
    // RFC 9449 §8.2: "newest" is the newest the client received. An older value
    // that a response overlapping the supplier's also delivered (no causal
    // order between the two) may have reached the client last: not blamed.
    const supplierPast = past.get(supplier.seq) ?? new Set<number>();
    if (sent !== null && own.some((n) => n.value === sent && n.seq >= 0 && n.seq !== supplier.seq && !supplierPast.has(n.seq))) continue;
    failures.push({
      seq: [supplier.seq, e.seq],
      message: `${describe(e)} carried ${sent === null ? 'no nonce' : `the stale nonce ${JSON.stringify(sent)}`} although #${supplier.seq}, whose response the client had already used, supplied ${JSON.stringify(supplier.value)}`,
    });
  }
  const first = failures[0];
  if (first) return verdict(id, 'FAILURE', `${first.message}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}.`, failures.flatMap((f) => f.seq));
  const warn = warnings[0];
  const echoed = trace.entries.some((e) => (e.endpoint === 'token' || e.endpoint === 'mcp') && nonceClaim(e) !== null);
  if (!warn && judged === 0 && !echoed) return verdict(id, 'SKIPPED', 'Nonces were supplied, but the client sent none and no request provably followed a nonce-carrying response.');
  if (warn) return verdict(id, 'WARNING', `${warn.message}.`, warnings.flatMap((w) => w.seq));
  return verdict(id, 'SUCCESS', `Nonces were echoed byte for byte to the server that issued them; ${judged} request(s) provably after a nonce carried the newest one.`);
};
