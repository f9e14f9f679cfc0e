import type { ClientOutcome, ServerRole, Trace, TraceEntry } from '../../trace/types.ts';
import type { CheckId } from '../registry.ts';
import type { CheckResult } from '../types.ts';
import { deliveriesBy, describe, nonceClaim, previousAttempts, verdict } from './trace-queries.ts';

/** Requests a client must retry after a nonce challenge: token requests and MCP POSTs (GET streams and DELETE are optional). */
function mustRetry(entry: TraceEntry): boolean {
  return entry.endpoint === 'token' || entry.method === 'POST';
}

/**
 * Did anything other than a nonce challenge go wrong in the run? Then a
 * client that failed may have failed for that reason, and abandoning a
 * challenged request on the way out proves nothing.
 */
function otherTrouble(trace: Trace): boolean {
  return trace.capped || trace.entries.some((e) => e.status >= 400 && e.error !== 'use_dpop_nonce' && e.decision.kind !== 'unauthenticated');
}

/**
 * RFC 9449 §8 (AS) and §9 (RS): after `use_dpop_nonce` with nonce N, the
 * retried request carries N, or a nonce the same server delivered after N.
 * Retries are found by retry key, so concurrency cannot confuse them. A
 * challenged request that was never retried is only blamed when the client
 * never retried any challenge of that server and then failed although
 * nothing else went wrong; otherwise it may have been abandoned on shutdown
 * or after giving up (bounded retries).
 */
export function judgeNonceRetries(trace: Trace, outcome: ClientOutcome, server: ServerRole, id: CheckId): CheckResult {
  const entries = trace.entries.filter((e) => e.server === server && (e.endpoint === 'token' || e.endpoint === 'mcp'));
  const challenges = entries.filter((e) => e.error === 'use_dpop_nonce' && e.nonceDelivered !== null);
  if (challenges.length === 0) return verdict(id, 'SKIPPED', `The ${server === 'as' ? 'authorization server' : 'MCP server'} issued no use_dpop_nonce challenge in this run.`);
  const prev = previousAttempts(trace);
  // The retry: the first request with the same key that arrived after the challenge was answered.
  const retryOf = (c: TraceEntry) => trace.entries.find((e) => e.seq > c.seq && e.retryKey === c.retryKey && e.receivedAt >= c.respondedAt);
  const order = deliveriesBy(trace, server);
  const failures: { seq: number[]; message: string }[] = [];
  const unretried: TraceEntry[] = [];
  let honoured = 0;
  for (const challenge of challenges) {
    const retry = retryOf(challenge);
    if (retry === undefined) {
      const before = prev.get(challenge.seq);
      if (before?.error !== 'use_dpop_nonce' && mustRetry(challenge)) unretried.push(challenge);
      continue;
    }
    const sent = nonceClaim(retry);
    const challengeIndex = order.findIndex((n) => n.seq === challenge.seq);
    const acceptable = new Set(order.slice(challengeIndex).filter((n) => n.seq < retry.seq).map((n) => n.value));
    if (sent !== null && acceptable.has(sent)) {
      honoured++;
      continue;
    }
    failures.push({
      seq: [challenge.seq, retry.seq],
      message: `retry ${describe(retry)} carried ${sent === null ? 'no nonce' : `nonce ${JSON.stringify(sent)}`} instead of ${JSON.stringify(challenge.nonceDelivered)} supplied by #${challenge.seq}`,
    });
  }
  const neverRetries = honoured === 0 && failures.length === 0;
  const clientFailed = outcome.exitCode !== 0 || outcome.timedOut;
  const first = unretried[0];
  if (first && neverRetries && clientFailed && !otherTrouble(trace)) {
    failures.push({ seq: [first.seq], message: `${describe(first)} was challenged with use_dpop_nonce and never retried, and the client then failed` });
  }
  const f = failures[0];
  if (f) return verdict(id, 'FAILURE', `${f.message}${failures.length > 1 ? ` (and ${failures.length - 1} more)` : ''}.`, failures.flatMap((x) => x.seq));
  return verdict(id, 'SUCCESS', `${challenges.length} challenge(s); every retry (${honoured}) carried the supplied nonce.`, challenges.map((c) => c.seq));
}
