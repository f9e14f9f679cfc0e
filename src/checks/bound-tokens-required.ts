import { bindingRequirementRead } from './_internals/binding-requirement.ts';
import { describe, isBearerTokenType, mcpRequests, presentedToken, schemeOf, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9728 §2 `dpop_bound_access_tokens_required` (with RFC 9449 §5): a
 * resource that requires DPoP-bound tokens is never handed a token the
 * authorization server typed Bearer (it declined to bind), with any scheme:
 * the client gets a DPoP-bound token or stops. A DPoP-bound token's scheme
 * and proof are judged by dpop-auth-scheme and fresh-proof wherever it goes,
 * so one bug makes one finding. Judged once the client had the metadata (a
 * 200 from the protected resource metadata endpoint answered before the
 * request); an unbound token presented with the DPoP scheme before that is
 * dpop-auth-scheme's finding.
 */
export const boundTokensRequired: CheckFn = ({ trace, schedule, options }) => {
  const id = 'sep-1932-client-bound-tokens-required';
  if (schedule.mcp.boundTokensRequired !== true) return verdict(id, 'SKIPPED', 'The resource metadata did not require DPoP-bound tokens.');
  const presented = mcpRequests(trace).filter((e) => e.authorization.kind === 'credentials' && bindingRequirementRead(trace, schedule, e) !== undefined);
  if (presented.length === 0) return verdict(id, 'SKIPPED', 'The client presented no token after reading the resource metadata.');
  const unbound = presented.filter((e) => {
    const token = presentedToken(trace, e);
    return token !== undefined && isBearerTokenType(token.tokenType);
  });
  const first = unbound[0];
  if (first) {
    const token = presentedToken(trace, first)!;
    // Cite the metadata response the client had read by then, not merely the first one requested.
    const metadata = bindingRequirementRead(trace, schedule, first)!;
    const how = schemeOf(first)?.toLowerCase() === 'dpop' && first.proof !== null ? 'with a DPoP proof, but it is not DPoP-bound' : `as a bearer token (${schemeOf(first)} scheme${first.proof === null ? ', no proof' : ''})`;
    const more = unbound.slice(1).map((e) => `#${e.seq}`);
    // SEP-1932: an MCP server that supports DPoP gets DPoP-bound tokens only. RFC 9449 §5 alone
    // leaves it to the client whether binding is important, so the request is only bound to fail.
    return verdict(
      id,
      options.profile === 'sep-1932' ? 'FAILURE' : 'WARNING',
      `${describe(first)} presented the token of #${token.seq}, which the authorization server typed ${JSON.stringify(token.tokenType)}, ${how}, although the resource metadata (#${metadata.seq}) says dpop_bound_access_tokens_required: true${more.length > 0 ? ` (so did ${more.join(', ')})` : ''}.`,
      [metadata.seq, ...unbound.map((e) => e.seq)],
    );
  }
  return verdict(id, 'SUCCESS', `The ${presented.length} token presentation(s) to a resource requiring DPoP-bound tokens were all of DPoP-bound tokens.`, presented.map((e) => e.seq));
};
