import type { IssuedToken, Trace, TraceEntry } from '../../trace/types.ts';
import type { CheckResult, CheckStatus } from '../types.ts';
import type { CheckId } from '../registry.ts';

/** Builds a result; evidence is de-duplicated and sorted, capped so reports stay small. */
export function verdict(id: CheckId, status: CheckStatus, message: string, evidence: Iterable<number> = []): CheckResult {
  return { id, status, message, evidence: [...new Set(evidence)].sort((a, b) => a - b).slice(0, 20) };
}

/** RFC 6749 §5.1: token_type is case-insensitive. */
export function isDpopTokenType(tokenType: string): boolean {
  return tokenType.toLowerCase() === 'dpop';
}

export function isBearerTokenType(tokenType: string): boolean {
  return tokenType.toLowerCase() === 'bearer';
}

export function tokenRequests(trace: Trace): TraceEntry[] {
  return trace.entries.filter((e) => e.endpoint === 'token' && e.method === 'POST');
}

export function mcpRequests(trace: Trace): TraceEntry[] {
  return trace.entries.filter((e) => e.endpoint === 'mcp');
}

/** The token an entry presents, when it is one the authorization server issued. */
export function presentedToken(trace: Trace, entry: TraceEntry): IssuedToken | undefined {
  const auth = entry.authorization;
  if (auth.kind !== 'credentials' || auth.tokenId === null) return undefined;
  return trace.tokens.find((t) => t.id === auth.tokenId);
}

/** MCP requests that present a token the AS issued as DPoP-bound (token_type DPoP in any case). */
export function dpopTokenPresentations(trace: Trace): { entry: TraceEntry; token: IssuedToken }[] {
  return mcpRequests(trace).flatMap((entry) => {
    const token = presentedToken(trace, entry);
    return token && isDpopTokenType(token.tokenType) ? [{ entry, token }] : [];
  });
}

export function schemeOf(entry: TraceEntry): string | null {
  return entry.authorization.kind === 'credentials' ? entry.authorization.scheme : null;
}

/** The proof's claims when it decoded, else null. */
export function claimsOf(entry: TraceEntry) {
  return entry.proof?.claims ?? null;
}

export function nonceClaim(entry: TraceEntry): string | null {
  const nonce = entry.proof?.claims?.nonce;
  return typeof nonce === 'string' ? nonce : null;
}

export function jtiClaim(entry: TraceEntry): string | null {
  const jti = entry.proof?.claims?.jti;
  return typeof jti === 'string' && jti !== '' ? jti : null;
}

/** Items grouped by `key`, each group in the order given. */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * The attempt a request retries: the latest earlier request with the same
 * retry key (server, method, path, session, body) whose response had been sent
 * before this one arrived. Only such a pair is causally ordered.
 */
export function previousAttempts(trace: Trace): ReadonlyMap<number, TraceEntry> {
  return memoized(previousAttemptsCache, trace, pairAttempts);
}

const previousAttemptsCache = new WeakMap<Trace, ReadonlyMap<number, TraceEntry>>();

/**
 * A derived view of a trace, computed once per trace: a judge runs many checks
 * over one trace, and several need the same causal relations. Callers only read.
 */
export function memoized<T>(cache: WeakMap<Trace, T>, trace: Trace, compute: (trace: Trace) => T): T {
  let value = cache.get(trace);
  if (value === undefined) {
    value = compute(trace);
    cache.set(trace, value);
  }
  return value;
}

function pairAttempts(trace: Trace): Map<number, TraceEntry> {
  const byKey = new Map<string, TraceEntry[]>();
  const result = new Map<number, TraceEntry>();
  for (const entry of trace.entries) {
    const earlier = byKey.get(entry.retryKey) ?? [];
    for (let i = earlier.length - 1; i >= 0; i--) {
      const candidate = earlier[i]!;
      if (candidate.status !== 0 && candidate.respondedAt <= entry.receivedAt) {
        result.set(entry.seq, candidate);
        break;
      }
    }
    earlier.push(entry);
    byKey.set(entry.retryKey, earlier);
  }
  return result;
}

/** Retries of an attempt that was answered 429/503 (RFC 9449 §7.3 territory). */
export function transientRetries(trace: Trace, prev = previousAttempts(trace)): Set<number> {
  const out = new Set<number>();
  for (const [seq, before] of prev) if (before.endpoint !== 'token' && isTransientStatus(before.status)) out.add(seq);
  return out;
}

/** The path of a recorded URL (the URL itself when it does not parse: judges never throw). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export function describe(entry: TraceEntry): string {
  const rpc = entry.rpc.map((m) => m.method ?? 'response').join(',');
  return `#${entry.seq} ${entry.method} ${entry.endpoint}${rpc ? ` (${rpc})` : ''}`;
}
