import { causalPasts } from './_internals/causality.ts';
import { describe, mcpRequests, presentedToken, schemeOf, verdict } from './_internals/trace-queries.ts';
import { bearerTolerated } from './_internals/profile.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §7.2, SEP-1932: an invalid_token answer to a correct DPoP request
 * is no reason to downgrade. Requests causally after it that present a bound
 * token must keep the DPoP scheme and the proof. Under the rfc9449 profile,
 * Bearer is tolerated after a Bearer-only challenge, by the rule every check
 * shares (`bearerTolerated`).
 */
export const noFallbackOnInvalidToken: CheckFn = ({ trace, options }) => {
  const id = 'sep-1932-client-no-fallback-on-invalid-token';
  const mcp = mcpRequests(trace);
  const triggers = mcp.filter((e) => e.status === 401 && e.error === 'invalid_token' && schemeOf(e)?.toLowerCase() === 'dpop' && e.proof !== null);
  if (triggers.length === 0) return verdict(id, 'SKIPPED', 'No correctly presented DPoP request was answered with invalid_token.');
  const past = causalPasts(trace);
  let tolerated = 0;
  for (const e of mcp) {
    const token = presentedToken(trace, e);
    if (!token || token.jkt === null) continue;
    const trigger = triggers.find((t) => past.get(e.seq)?.has(t.seq));
    if (!trigger) continue;
    const scheme = schemeOf(e) ?? '';
    const downgraded = scheme.toLowerCase() !== 'dpop' || e.proof === null;
    if (!downgraded) continue;
    if (bearerTolerated(trace, e, options)) {
      tolerated++;
      continue;
    }
    const what = scheme.toLowerCase() !== 'dpop' ? `the ${scheme} scheme` : 'no DPoP proof';
    return verdict(id, 'FAILURE', `After invalid_token on #${trigger.seq}, ${describe(e)} presented a bound token with ${what}.`, [trigger.seq, e.seq]);
  }
  const kept = tolerated === 0 ? 'kept the DPoP scheme and proof' : `kept the DPoP scheme and proof, but for ${tolerated} Bearer request(s) after a Bearer-only challenge, which --profile rfc9449 allows (RFC 9449 §7.2)`;
  return verdict(id, 'SUCCESS', `After ${triggers.length} invalid_token answer(s) the client ${kept}.`, triggers.map((t) => t.seq));
};
