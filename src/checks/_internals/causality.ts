import type { Trace, TraceEntry } from '../../trace/types.ts';
import { memoized, nonceClaim, previousAttempts } from './trace-queries.ts';

/**
 * Which responses a client had provably received before it built a request.
 * Arrival times alone prove nothing under concurrency (a request can be built
 * before an earlier response is read), so only these links count:
 *  - it carries something only a response could have given it: an access
 *    token, a refresh token, an MCP session id, or a nonce value;
 *  - it resends a JSON-RPC message (same body) to the MCP endpoint, or the
 *    DELETE that ends a session, whose earlier attempt had been answered: a
 *    JSON-RPC request names itself by its id, an MCP client sends each
 *    message once and ends a session once, so the same request again is a
 *    retry after the answer. Other identical requests (token requests, GET
 *    streams) may be concurrent twins that merely arrived after the answer,
 *    so arriving later links nothing.
 * The relation is closed transitively. (RFC 9449 §8.2 and §9 "next request"
 * rules are judged only along it, so overlapping requests never misfire.)
 */
/** An MCP POST carrying JSON-RPC messages, or a session's DELETE: it names one logical request. */
function identifiesItsRequest(entry: TraceEntry): boolean {
  if (entry.endpoint !== 'mcp') return false;
  return (entry.method === 'POST' && entry.rpc.length > 0) || (entry.method === 'DELETE' && entry.sessionId !== null);
}

export function causalPasts(trace: Trace): ReadonlyMap<number, ReadonlySet<number>> {
  return memoized(causalPastsCache, trace, computeCausalPasts);
}

const causalPastsCache = new WeakMap<Trace, ReadonlyMap<number, ReadonlySet<number>>>();

function computeCausalPasts(trace: Trace): Map<number, ReadonlySet<number>> {
  const prev = previousAttempts(trace);
  const bySeq = new Map(trace.entries.map((e) => [e.seq, e]));
  const tokenIssuer = new Map(trace.tokens.map((t) => [t.accessToken, t.seq]));
  const refreshIssuer = new Map(trace.tokens.flatMap((t) => (t.refreshToken === null ? [] : [[t.refreshToken, t.seq] as const])));
  const sessionIssuer = new Map<string, number>();
  const firstDelivery = new Map<string, number>();
  for (const e of trace.entries) {
    if (e.issuedSessionId !== null && !sessionIssuer.has(e.issuedSessionId)) sessionIssuer.set(e.issuedSessionId, e.seq);
  }
  for (const n of trace.nonces) if (!firstDelivery.has(n.value)) firstDelivery.set(n.value, n.seq);

  const past = new Map<number, Set<number>>();
  const direct = (e: TraceEntry): number[] => {
    const links: number[] = [];
    const before = prev.get(e.seq);
    if (before && identifiesItsRequest(e)) links.push(before.seq);
    if (e.authorization.kind === 'credentials') {
      const issuer = tokenIssuer.get(e.authorization.token);
      if (issuer !== undefined) links.push(issuer);
    }
    const refresh = e.grant?.refreshToken;
    if (refresh) {
      const issuer = refreshIssuer.get(refresh);
      if (issuer !== undefined) links.push(issuer);
    }
    if (e.sessionId !== null) {
      const issuer = sessionIssuer.get(e.sessionId);
      if (issuer !== undefined) links.push(issuer);
    }
    const nonce = nonceClaim(e);
    if (nonce !== null) {
      const issuer = firstDelivery.get(nonce);
      if (issuer !== undefined) links.push(issuer);
    }
    // A producer must have answered before this request arrived.
    return links.filter((s) => {
      const p = bySeq.get(s);
      return p !== undefined && s < e.seq && p.status !== 0 && p.respondedAt <= e.receivedAt;
    });
  };
  for (const e of trace.entries) {
    const set = new Set<number>();
    for (const s of direct(e)) {
      set.add(s);
      for (const t of past.get(s) ?? []) set.add(t);
    }
    past.set(e.seq, set);
  }
  return past;
}
