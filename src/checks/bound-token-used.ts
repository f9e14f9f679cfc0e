import { dpopTokenPresentations, isDpopTokenType, mcpRequests, schemeOf, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 6749 §5.1 (token_type is case-insensitive) with RFC 9449 §5: a token
 * issued as DPoP, however spelled, is used with its proof; it is neither
 * refused nor presented in a plain bearer flow (Bearer scheme, no proof), and
 * it is presented exactly as issued.
 */
export const boundTokenUsed: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-bound-token-used';
  // A token presented that was never issued is one the client altered (e.g. cut at "+", "/" or "=").
  const altered = mcpRequests(trace).filter((e) => e.authorization.kind === 'credentials' && e.authorization.tokenId === null);
  if (altered.length > 0) {
    return verdict(id, 'FAILURE', `${altered.length} request(s) presented an access token the authorization server never issued; the token must be sent exactly as received.`, altered.map((e) => e.seq));
  }
  const issued = trace.tokens.filter((t) => isDpopTokenType(t.tokenType));
  if (issued.length === 0) return verdict(id, 'SKIPPED', 'No DPoP-bound token was issued in this run.');
  const presented = dpopTokenPresentations(trace);
  const bearerFlow = presented.filter(({ entry }) => schemeOf(entry)?.toLowerCase() !== 'dpop' && entry.proof === null);
  if (bearerFlow.length > 0) {
    return verdict(id, 'FAILURE', `A token issued with token_type "${bearerFlow[0]!.token.tokenType}" was used as a plain bearer token (no DPoP scheme, no proof).`, bearerFlow.map((b) => b.entry.seq));
  }
  if (presented.length === 0 && !trace.capped) {
    const spellings = [...new Set(issued.map((t) => t.tokenType))].join(', ');
    return verdict(id, 'FAILURE', `The client was issued a DPoP-bound token (token_type ${spellings}) but never used it.`, issued.map((t) => t.seq));
  }
  return verdict(id, 'SUCCESS', `Tokens issued as ${[...new Set(issued.map((t) => t.tokenType))].join(', ')} were used as DPoP-bound tokens.`, presented.map((p) => p.entry.seq));
};
