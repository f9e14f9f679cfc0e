import fc from 'fast-check';
import { BASE_SCHEDULE } from '../defaults.ts';
import type { ChallengeSchemes, McpAction, McpServerSchedule } from '../types.ts';
import { redirect } from './auth-server.ts';
import { challengeFormat } from './challenge-format.ts';
import { mcpAction, mcpThen } from './mcp-action.ts';
import { nonceBody } from './nonce.ts';
import { along, variedDimensions, type DimensionConstraints } from './_internals/dimensions.ts';
import { towardsFirst, weighted } from './_internals/weighted.ts';

/** Constraints on the generated MCP server. */
export interface McpServerConstraints extends DimensionConstraints {
  /** Most scheduled actions for POST requests (default 10). */
  readonly maxPostActions?: number;
}

/** MCP URL paths: depth, upper case (paths are case-sensitive, RFC 3986 §6.2.2.1), trailing slash. */
const PATHS = ['/mcp/', '/v1/Tenant-A/mcp', '/MCP', '/a/b/c/d/mcp', '/mcp/v2/'];
/** Query strings a client must keep on the request and drop from htu (RFC 9449 §4.2). */
const QUERIES = ['a=1', 'x=%7E&y=2', 'session=A%2FB&flag', 'q'];

/**
 * The MCP server's behaviour: per-method action lists (POST, the GET SSE
 * stream, DELETE) with nonce challenges and rotations (RFC 9449 §9, §8.2),
 * `invalid_token` (RFC 6750 §3.1) and transient errors; the challenge
 * schemes and their spelling (RFC 9110 §11.6.1); the resource metadata's
 * `dpop_bound_access_tokens_required` (RFC 9449 §5.2); URL shape and redirects.
 */
export function mcpServer(constraints: McpServerConstraints = {}): fc.Arbitrary<McpServerSchedule> {
  const base = BASE_SCHEDULE.mcp;
  const varied = variedDimensions(constraints);
  // MCP actions are nonce events, errors and redirects: with none varying, every action would be a plain `ok`.
  const actions = varied.has('nonces') || varied.has('errors') || varied.has('redirects');
  const list = (maxLength: number) => (actions ? fc.array(mcpAction(varied), { maxLength }) : fc.constant<McpAction[]>([]));
  return fc
    .record({
      path: along(varied, 'urls', towardsFirst(weighted(5, base.path), { weight: 3, arbitrary: fc.constantFrom(...PATHS) }), base.path),
      query: along(varied, 'urls', towardsFirst<string | null>(weighted(5, base.query), { weight: 2, arbitrary: fc.constantFrom(...QUERIES) }), base.query),
      initialNonce: along(varied, 'nonces', towardsFirst<string | null>(weighted(3, base.initialNonce), { weight: 1, arbitrary: nonceBody() }), base.initialNonce),
      post: list(constraints.maxPostActions ?? 10),
      get: list(3),
      delete: list(2),
      then: mcpThen(varied),
      challenge: along(varied, 'challenges', towardsFirst<ChallengeSchemes>(weighted(6, base.challenge), weighted(3, 'DPoP+Bearer'), weighted(1, 'Bearer')), base.challenge),
      challengeFormat: along(varied, 'challenges', challengeFormat(), base.challengeFormat),
      boundTokensRequired: along(varied, 'challenges', towardsFirst<boolean | null>(weighted(4, base.boundTokensRequired), weighted(1, false), weighted(1, null)), base.boundTokensRequired),
      redirect: along(varied, 'redirects', redirect(), base.redirect),
    })
    // RFC 9449 §7.2: a resource that challenges with Bearer only takes bound tokens as bearer
    // tokens, so it never requires DPoP-bound tokens; the generator keeps the world coherent.
    .map((s): McpServerSchedule => (s.challenge === 'Bearer' && s.boundTokensRequired === true ? { ...s, boundTokensRequired: null } : s));
}
