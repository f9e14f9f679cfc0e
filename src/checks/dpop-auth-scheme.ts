import { dpopTokenPresentations, mcpRequests, schemeOf, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';
import type { Trace, TraceEntry } from '../trace/types.ts';

/** Did the MCP server answer with a challenge that offered no DPoP scheme before this request? */
export function followsBearerOnlyChallenge(trace: Trace, entry: TraceEntry): boolean {
  return mcpRequests(trace).some((e) => {
    const challenge = e.responseHeaders['www-authenticate'];
    return e.status === 401 && e.respondedAt <= entry.receivedAt && challenge !== undefined && !/(^|[\s,])dpop(\s|$|,)/i.test(challenge);
  });
}

/** RFC 9449 §7.1/§7.2 and SEP-1932: a DPoP-bound token goes with the DPoP scheme. */
export const dpopAuthScheme: CheckFn = ({ trace, options }) => {
  const id = 'sep-1932-client-dpop-auth-scheme';
  // RFC 9449 §7.1: credentials = "DPoP" 1*SP token68; anything else is unusable.
  const malformed = mcpRequests(trace).filter((e) => e.authorization.kind === 'malformed');
  if (malformed.length > 0) {
    const raw = malformed[0]!.authorization.kind === 'malformed' ? malformed[0]!.authorization.raw : '';
    return verdict(id, 'FAILURE', `${malformed.length} request(s) sent an Authorization header that is not "<scheme> <token>" (first: ${JSON.stringify(raw.slice(0, 60))}).`, malformed.map((e) => e.seq));
  }
  const presented = dpopTokenPresentations(trace);
  if (presented.length === 0) return verdict(id, 'SKIPPED', 'The client never presented a DPoP-bound token to the MCP server.');
  const wrong = presented.filter(({ entry }) => {
    const scheme = schemeOf(entry)?.toLowerCase();
    if (scheme === 'dpop') return false;
    // RFC 9449 §7.2 lets a client answer a Bearer-only challenge with Bearer; SEP-1932 does not.
    return !(options.profile === 'rfc9449' && scheme === 'bearer' && followsBearerOnlyChallenge(trace, entry));
  });
  if (wrong.length > 0) {
    const schemes = [...new Set(wrong.map(({ entry }) => schemeOf(entry)))].join(', ');
    return verdict(id, 'FAILURE', `${wrong.length} request(s) presented a DPoP-bound token with the ${schemes} scheme instead of DPoP.`, wrong.map((w) => w.entry.seq));
  }
  // RFC 9110 §11.1: schemes are case-insensitive, but servers compare strictly in practice.
  const oddCase = presented.filter(({ entry }) => schemeOf(entry)?.toLowerCase() === 'dpop' && schemeOf(entry) !== 'DPoP');
  if (oddCase.length > 0) {
    return verdict(id, 'WARNING', `The DPoP scheme was spelled "${schemeOf(oddCase[0]!.entry)}"; send exactly "DPoP" for interoperability.`, oddCase.map((w) => w.entry.seq));
  }
  return verdict(id, 'SUCCESS', `All ${presented.length} request(s) presented the token with the DPoP scheme.`, presented.map((p) => p.entry.seq));
};
