import { isBearerTokenType, isDpopTokenType, mcpRequests, presentedToken, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** RFC 6749 §7.1: never use a token whose type the client does not understand. */
export const unknownTokenType: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-unknown-token-type';
  const unknown = trace.tokens.filter((t) => !isDpopTokenType(t.tokenType) && !isBearerTokenType(t.tokenType));
  if (unknown.length === 0) return verdict(id, 'SKIPPED', 'No token of an unknown token_type was issued in this run.');
  const used = mcpRequests(trace).filter((e) => {
    const token = presentedToken(trace, e);
    return token !== undefined && unknown.includes(token);
  });
  if (used.length > 0) {
    return verdict(id, 'FAILURE', `A token with unknown token_type "${presentedToken(trace, used[0]!)!.tokenType}" was presented ${used.length} time(s).`, used.map((e) => e.seq));
  }
  return verdict(id, 'SUCCESS', `The token(s) with unknown token_type "${unknown[0]!.tokenType}" were never presented.`, unknown.map((t) => t.seq));
};
