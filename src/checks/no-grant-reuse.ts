import type { TraceEntry } from '../trace/types.ts';
import { describe, groupBy, tokenRequests, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** A grant artifact a token request presents: an authorization code or a refresh token. */
function grantOf(entry: TraceEntry): { readonly kind: 'code' | 'refresh'; readonly value: string } | null {
  const g = entry.grant;
  if (g?.type === 'authorization_code' && g.code) return { kind: 'code', value: g.code };
  if (g?.type === 'refresh_token' && g.refreshToken) return { kind: 'refresh', value: g.refreshToken };
  return null;
}

/**
 * RFC 6749 §4.1.2 (a code is used once), §6 and RFC 9700 §4.14.2 (a refresh
 * token the authorization server rotated is discarded). A grant is spent by
 * the request that redeemed it (a token was issued; for a refresh token only
 * when a new refresh token came with it). Every other request presenting it
 * is reuse, unless it was an earlier attempt the server refused before the
 * redeeming one was sent (a retry after use_dpop_nonce spends nothing).
 * Refresh tokens this run never issued (e.g. from an earlier run's cache)
 * are not judged.
 */
export const noGrantReuse: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-no-grant-reuse';
  const requests = tokenRequests(trace).filter((e) => grantOf(e) !== null);
  if (requests.length === 0) return verdict(id, 'SKIPPED', 'No token request presented a code or refresh token.');
  const issuedRefresh = new Set(trace.tokens.flatMap((t) => (t.refreshToken === null ? [] : [t.refreshToken])));
  const reuses: { seq: number[]; message: string }[] = [];
  const byValue = groupBy(requests, (e) => grantOf(e)!.value);
  for (const [value, uses] of byValue) {
    const kind = grantOf(uses[0]!)!.kind;
    if (kind === 'refresh' && !issuedRefresh.has(value)) continue;
    const spender = uses.find((e) => {
      if (e.issuedTokenId === null) return false;
      // RFC 6749 §6: without a new refresh token in the answer, the old one stays valid.
      return kind === 'code' || trace.tokens.find((t) => t.id === e.issuedTokenId)?.refreshToken != null;
    });
    if (!spender) continue;
    const reused = uses.filter((other) => other !== spender && !(other.status !== 0 && other.respondedAt <= spender.receivedAt));
    const other = reused[0];
    if (!other) continue;
    const what = kind === 'code' ? 'authorization code' : 'refresh token';
    const parallel = other.receivedAt < spender.respondedAt;
    const message = parallel
      ? `${describe(other)} and ${describe(spender)} used one ${what} in parallel${kind === 'refresh' ? ' (concurrent refreshes)' : ''}`
      : `${describe(other)} presented the ${what} that ${describe(spender)} had already ${kind === 'code' ? 'redeemed' : 'rotated'}`;
    const all = reused.length > 1 ? `; ${reused.length + 1} token requests used it (${[spender, ...reused].map((e) => `#${e.seq}`).join(', ')})` : '';
    reuses.push({ seq: [spender.seq, ...reused.map((e) => e.seq)], message: `${message}${all}` });
  }
  const first = reuses[0];
  if (first) return verdict(id, 'FAILURE', `${first.message}${reuses.length > 1 ? ` (and ${reuses.length - 1} more)` : ''}.`, reuses.flatMap((r) => r.seq));
  return verdict(id, 'SUCCESS', `${byValue.size} code(s) and refresh token(s), each redeemed at most once.`, requests.map((e) => e.seq));
};
