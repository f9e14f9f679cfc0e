import type { Trace, TraceEntry } from '../../trace/types.ts';
import { groupBy, memoized, nonceClaim, previousAttempts } from './trace-queries.ts';

/**
 * Which responses a client had provably received before it built a request.
 * Arrival times alone prove nothing under concurrency (a request can be built
 * before an earlier response is read), so only these links count:
 *  - it carries something only a response could have given it: an access
 *    token, a refresh token, an MCP session id, or a nonce value (when
 *    several answered responses gave the same value, only what is in the
 *    past of each of them);
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
  const tokenIssuers = producers(trace.tokens.map((t) => [t.accessToken, t.seq]));
  const refreshIssuers = producers(trace.tokens.flatMap((t) => (t.refreshToken === null ? [] : [[t.refreshToken, t.seq] as const])));
  const sessionIssuers = producers(trace.entries.flatMap((e) => (e.issuedSessionId === null ? [] : [[e.issuedSessionId, e.seq] as const])));
  const deliveries = producers(trace.nonces.map((n) => [n.value, n.seq]));

  const past = new Map<number, Set<number>>();
  for (const e of trace.entries) {
    const set = new Set<number>();
    // A producer must have answered before this request arrived.
    const answered = (s: number): boolean => {
      const p = bySeq.get(s);
      return p !== undefined && s < e.seq && p.status !== 0 && p.respondedAt <= e.receivedAt;
    };
    /**
     * The request carries a value that one of `candidates` gave the client:
     * which one is unknown when several had answered (the same nonce in two
     * responses), so only what lies in the past of every one is proven.
     */
    const link = (candidates: readonly number[] | undefined): void => {
      const heard = (candidates ?? []).filter(answered);
      const [first, ...rest] = heard.map((s) => new Set([s, ...(past.get(s) ?? [])]));
      if (first === undefined) return;
      for (const s of first) if (rest.every((other) => other.has(s))) set.add(s);
    };
    const before = prev.get(e.seq);
    if (before && identifiesItsRequest(e)) link([before.seq]);
    if (e.authorization.kind === 'credentials') link(tokenIssuers.get(e.authorization.token));
    const refresh = e.grant?.refreshToken;
    if (refresh) link(refreshIssuers.get(refresh));
    if (e.sessionId !== null) link(sessionIssuers.get(e.sessionId));
    const nonce = nonceClaim(e);
    if (nonce !== null) link(deliveries.get(nonce));
    past.set(e.seq, set);
  }
  return past;
}

/** Value → the entries that gave it out, in trace order. */
function producers(pairs: readonly (readonly [string, number])[]): Map<string, number[]> {
  return new Map([...groupBy(pairs, ([value]) => value)].map(([value, group]) => [value, group.map(([, seq]) => seq)]));
}
