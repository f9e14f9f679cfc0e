import { derivedFrom } from './_internals/derived-value.ts';
import { bearerTolerated } from './_internals/profile.ts';
import { dpopTokenPresentations, isDpopTokenType, mcpRequests, schemeOf, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 6749 §5.1 (token_type is case-insensitive) with RFC 9449 §5: a token
 * issued as DPoP, however spelled, is used with its proof, never presented in
 * a plain bearer flow (Bearer scheme, no proof), and presented exactly as
 * issued. Only what was presented is judged: a client that stopped before
 * using its token is `sep-1932-client-completes`' finding.
 */
export const boundTokenUsed: CheckFn = ({ trace, options }) => {
  const id = 'sep-1932-client-bound-token-used';
  // A token presented that this run never issued but that is a piece or a re-encoding of
  // one it did is a token the client altered (cut at "+", "/" or "=", URL-encoded…). Any
  // other unknown token comes from elsewhere (e.g. a cache from an earlier run): not judged.
  const altered = mcpRequests(trace).flatMap((e) => {
    if (e.authorization.kind !== 'credentials' || e.authorization.tokenId !== null) return [];
    const presented = e.authorization.token;
    const source = trace.tokens.find((t) => t.seq < e.seq && derivedFrom(presented, t.accessToken));
    return source ? [{ e, source }] : [];
  });
  const a = altered[0];
  if (a) {
    return verdict(
      id,
      'FAILURE',
      `${altered.length} request(s) presented an altered copy of an issued access token (first: #${a.e.seq}, of the token from #${a.source.seq}); send the token exactly as received.`,
      altered.flatMap((x) => [x.source.seq, x.e.seq]),
    );
  }
  const issued = trace.tokens.filter((t) => isDpopTokenType(t.tokenType));
  if (issued.length === 0) return verdict(id, 'SKIPPED', 'No DPoP-bound token was issued in this run.');
  const presented = dpopTokenPresentations(trace);
  if (presented.length === 0) return verdict(id, 'SKIPPED', 'The client never presented its DPoP-bound token.');
  const bearerFlow = presented.filter(({ entry }) => schemeOf(entry)?.toLowerCase() !== 'dpop' && entry.proof === null && !bearerTolerated(trace, entry, options));
  if (bearerFlow.length > 0) {
    return verdict(id, 'FAILURE', `A token issued with token_type "${bearerFlow[0]!.token.tokenType}" was used as a plain bearer token (no DPoP scheme, no proof).`, bearerFlow.map((b) => b.entry.seq));
  }
  return verdict(id, 'SUCCESS', `Tokens issued as ${[...new Set(issued.map((t) => t.tokenType))].join(', ')} were used as DPoP-bound tokens.`, presented.map((p) => p.entry.seq));
};
