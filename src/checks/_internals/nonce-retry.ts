import type { ServerRole, Trace, TraceEntry } from '../../trace/types.ts';
import type { CheckId } from '../registry.ts';
import type { CheckResult } from '../types.ts';
import { describeNonceUse, NonceFacts } from './nonce-use.ts';
import { describe, groupBy, verdict } from './trace-queries.ts';

/**
 * RFC 9449 §8 (AS) and §9 (RS): after `use_dpop_nonce` with nonce N, the
 * client retries with N or a newer nonce of the same server (the rules of
 * `nonce-use.ts`). Only challenges to requests that carried a proof count: a
 * server asks a proof for a nonce, never a bearer request (RFC 9449 §9).
 *
 * A retry repeats the request (same retry key) after the challenge was
 * answered. Arriving after the answer does not prove the client had read it:
 * two identical requests may have been sent together (twins, e.g. parallel
 * refreshes). So a challenge is honoured when *any* later request with its
 * key carries an acceptable nonce, and only when none does is the first of
 * them blamed. A challenge never retried is not judged here: why a client
 * stopped is `sep-1932-client-completes`' finding.
 */
export function judgeNonceRetries(trace: Trace, server: ServerRole, id: CheckId): CheckResult {
  const facts = new NonceFacts(trace);
  const challenges = trace.entries.filter(
    (e) => e.server === server && (e.endpoint === 'token' || e.endpoint === 'mcp') && e.error === 'use_dpop_nonce' && e.nonceDelivered !== null && e.proof !== null,
  );
  const whose = server === 'as' ? 'authorization server' : 'MCP server';
  if (challenges.length === 0) return verdict(id, 'SKIPPED', `The ${whose} issued no use_dpop_nonce challenge to a DPoP proof in this run.`);
  const failures: { seq: number[]; message: string }[] = [];
  const warnings: { seq: number[]; message: string }[] = [];
  let honoured = 0;
  const attempts = groupBy(trace.entries, (e) => e.retryKey);
  for (const challenge of challenges) {
    const later = attempts.get(challenge.retryKey)!.filter((e) => e.seq > challenge.seq && e.receivedAt >= challenge.respondedAt);
    const retry = later[0];
    if (retry === undefined) continue;
    const floor = facts.deliveryOf(challenge) ?? null;
    if (later.some((r) => facts.use(r, floor).kind === 'fresh')) {
      honoured++;
      continue;
    }
    const use = facts.use(retry, floor);
    if (use.kind === 'fresh') continue;
    const finding = { seq: [challenge.seq, retry.seq], message: `retry ${describe(retry)} ${describeNonceUse(use, floor)}` };
    (use.kind === 'foreign' && use.level === 'WARNING' ? warnings : failures).push(finding);
  }
  const first = failures[0];
  if (first) return verdict(id, 'FAILURE', `${first.message}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}.`, failures.flatMap((f) => f.seq));
  const warn = warnings[0];
  if (warn) return verdict(id, 'WARNING', `${warn.message}.`, warnings.flatMap((w) => w.seq));
  return verdict(id, 'SUCCESS', `${challenges.length} challenge(s); every retry (${honoured}) carried the supplied nonce or a newer one.`, challenges.map((c) => c.seq));
}

