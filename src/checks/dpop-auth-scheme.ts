import { dpopTokenPresentations, isBearerTokenType, mcpRequests, presentedToken, schemeOf, verdict } from './_internals/trace-queries.ts';
import { bearerTolerated } from './_internals/profile.ts';
import { bindingRequirementRead } from './_internals/binding-requirement.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §7.1/§7.2 and SEP-1932: a DPoP-bound token goes with the DPoP
 * scheme, and only a DPoP-bound one does.
 */
export const dpopAuthScheme: CheckFn = ({ trace, schedule, options }) => {
  const id = 'sep-1932-client-dpop-auth-scheme';
  // RFC 9449 §7.1: credentials = "DPoP" 1*SP token68; anything else is unusable.
  const malformed = mcpRequests(trace).filter((e) => e.authorization.kind === 'malformed');
  if (malformed.length > 0) {
    const raw = malformed[0]!.authorization.kind === 'malformed' ? malformed[0]!.authorization.raw : '';
    return verdict(id, 'FAILURE', `${malformed.length} request(s) sent an Authorization header that is not "<scheme> <token>" (first: ${JSON.stringify(raw.slice(0, 60))}).`, malformed.map((e) => e.seq));
  }
  // RFC 9449 §7.1, §4.3 check 12: the DPoP scheme asks the resource to confirm a key binding that a
  // token typed Bearer does not have (RFC 6749 §7.1: the type says how to use the token; RFC 6750).
  // Once the client has read that the resource requires bound tokens (RFC 9728 §2), presenting one
  // at all is the bug, with any scheme: bound-tokens-required's finding. Before that, it is this one's.
  const unbound = mcpRequests(trace).filter(
    (e) => schemeOf(e)?.toLowerCase() === 'dpop' && isBearerTokenType(presentedToken(trace, e)?.tokenType ?? '') && bindingRequirementRead(trace, schedule, e) === undefined,
  );
  if (unbound.length > 0) {
    return verdict(id, 'FAILURE', `${unbound.length} request(s) presented a token issued with token_type ${JSON.stringify(presentedToken(trace, unbound[0]!)!.tokenType)} (not DPoP-bound) with the DPoP scheme; an unbound token is a bearer token.`, unbound.map((e) => e.seq));
  }
  const presented = dpopTokenPresentations(trace);
  if (presented.length === 0) return verdict(id, 'SKIPPED', 'The client never presented a DPoP-bound token to the MCP server.');
  // RFC 9449 §7.2 lets a client answer a Bearer-only challenge with Bearer; SEP-1932 does not.
  const tolerated = presented.filter(({ entry }) => bearerTolerated(trace, entry, options));
  const wrong = presented.filter(({ entry }) => schemeOf(entry)?.toLowerCase() !== 'dpop' && !tolerated.some((t) => t.entry === entry));
  if (wrong.length > 0) {
    const schemes = [...new Set(wrong.map(({ entry }) => schemeOf(entry)))].join(', ');
    return verdict(id, 'FAILURE', `${wrong.length} request(s) presented a DPoP-bound token with the ${schemes} scheme instead of DPoP.`, wrong.map((w) => w.entry.seq));
  }
  // RFC 9110 §11.1: schemes are case-insensitive, but servers compare strictly in practice.
  const oddCase = presented.filter(({ entry }) => schemeOf(entry)?.toLowerCase() === 'dpop' && schemeOf(entry) !== 'DPoP');
  if (oddCase.length > 0) {
    return verdict(id, 'WARNING', `The DPoP scheme was spelled "${schemeOf(oddCase[0]!.entry)}"; send exactly "DPoP" for interoperability.`, oddCase.map((w) => w.entry.seq));
  }
  if (tolerated.length > 0) {
    const dpop = presented.length - tolerated.length;
    return verdict(
      id,
      'SUCCESS',
      `${dpop} request(s) presented the token with the DPoP scheme and ${tolerated.length} with Bearer after a Bearer-only challenge, which --profile rfc9449 allows (RFC 9449 §7.2).`,
      presented.map((p) => p.entry.seq),
    );
  }
  return verdict(id, 'SUCCESS', `All ${presented.length} request(s) presented the token with the DPoP scheme.`, presented.map((p) => p.entry.seq));
};
