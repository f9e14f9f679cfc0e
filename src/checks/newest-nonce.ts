import { describeNonceUse, NonceFacts } from './_internals/nonce-use.ts';
import { describe, nonceClaim, previousAttempts, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §8.2 and §9: once a server supplied a nonce, the client's later
 * proofs to that server carry it (or a newer one), and only nonces that very
 * server issued. "Later" means causally later (see causality.ts), so a
 * request that overlapped the response is never blamed; "newer" is issuance
 * order, and the shared-origin rule is the one of `nonce-use.ts`. Immediate
 * retries after a challenge are judged by the as-nonce / rs-nonce checks.
 */
export const newestNonce: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-newest-nonce';
  if (trace.nonces.length === 0) return verdict(id, 'SKIPPED', 'No server supplied a nonce in this run.');
  const facts = new NonceFacts(trace);
  const prev = previousAttempts(trace);
  const failures: { seq: number[]; message: string }[] = [];
  const warnings: { seq: number[]; message: string }[] = [];
  let judged = 0;
  for (const e of trace.entries) {
    if ((e.endpoint !== 'token' && e.endpoint !== 'mcp') || !e.proof?.claims) continue;
    const floor = facts.floorFor(e);
    const use = facts.use(e, floor);
    // A retry after a challenge is rs-nonce's / as-nonce's to judge for staleness;
    // whether the value is one this server issued is judged here for every request.
    const retry = prev.get(e.seq)?.error === 'use_dpop_nonce';
    if (floor !== null && !retry) judged++;
    if (use.kind === 'fresh' || use.kind === 'unknown' || (retry && (use.kind === 'missing' || use.kind === 'stale'))) continue;
    const source = use.kind === 'foreign' ? [use.from.seq] : use.kind === 'mangled' ? [use.of.seq] : [];
    const finding = { seq: [...(floor ? [floor.seq] : []), ...source, e.seq], message: `${describe(e)} ${describeNonceUse(use, floor)}` };
    (use.kind === 'foreign' && use.level === 'WARNING' ? warnings : failures).push(finding);
  }
  const first = failures[0];
  if (first) return verdict(id, 'FAILURE', `${first.message}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}.`, failures.flatMap((f) => f.seq));
  const warn = warnings[0];
  const echoed = trace.entries.some((e) => (e.endpoint === 'token' || e.endpoint === 'mcp') && nonceClaim(e) !== null);
  if (!warn && judged === 0 && !echoed) return verdict(id, 'SKIPPED', 'Nonces were supplied, but the client sent none and no request provably followed a nonce-carrying response.');
  if (warn) return verdict(id, 'WARNING', `${warn.message}.`, warnings.flatMap((w) => w.seq));
  return verdict(id, 'SUCCESS', `Nonces were echoed byte for byte to the server that issued them; ${judged} request(s) provably after a nonce carried the newest one.`);
};
