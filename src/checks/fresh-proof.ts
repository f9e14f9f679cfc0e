import { proofProblems, spellingWarning } from './token-request-proof.ts';
import { jtiClaim, mcpRequests, presentedToken, isDpopTokenType, schemeOf, transientRetries, verdict } from './_internals/trace-queries.ts';
import { bearerTolerated } from './_internals/profile.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §4.2/§4.3/§7: every MCP request with the token has its own proof,
 * well-formed and current, never a replay of an earlier one (a resend after
 * 429/503 is judged by sep-1932-client-fresh-proof-on-retry instead).
 */
export const freshProof: CheckFn = ({ trace, options }) => {
  const id = 'sep-1932-client-fresh-proof';
  const requests = mcpRequests(trace).filter((e) => {
    if (e.authorization.kind !== 'credentials') return false;
    const token = presentedToken(trace, e);
    const dpopScheme = schemeOf(e)?.toLowerCase() === 'dpop';
    // RFC 9449 §7.2 under --profile rfc9449: a Bearer presentation after a Bearer-only challenge needs no proof.
    return dpopScheme || (token !== undefined && isDpopTokenType(token.tokenType) && !bearerTolerated(trace, e, options));
  });
  if (requests.length === 0) return verdict(id, 'SKIPPED', 'The client never presented an access token to the MCP server.');
  const exempt = transientRetries(trace);
  const seen = new Map<string, number>();
  const bad: { seq: number; problem: string }[] = [];
  for (const e of requests) {
    // htm/htu values are judged by sep-1932-client-htm-htu-match.
    const problems = proofProblems(e, options, ['htm-mismatch', 'htu-mismatch']);
    const jti = jtiClaim(e);
    if (jti !== null) {
      const earlier = seen.get(jti);
      if (earlier !== undefined && !exempt.has(e.seq)) problems.push(`reuses the jti ${JSON.stringify(jti)} of #${earlier}, so it is no fresh proof`);
      if (earlier === undefined) seen.set(jti, e.seq);
    }
    if (problems.length > 0) bad.push({ seq: e.seq, problem: problems.join('; ') });
  }
  const first = bad[0];
  if (first) {
    return verdict(id, 'FAILURE', `${bad.length} of ${requests.length} MCP request(s) lacked a fresh, well-formed proof; #${first.seq}: ${first.problem}.`, bad.map((b) => b.seq));
  }
  const spelling = spellingWarning(requests);
  if (spelling) return verdict(id, 'WARNING', spelling.message, spelling.evidence);
  return verdict(id, 'SUCCESS', `All ${requests.length} MCP request(s) carried a fresh, well-formed proof.`, requests.map((e) => e.seq));
};
