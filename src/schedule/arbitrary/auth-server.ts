import fc from 'fast-check';
import { BASE_SCHEDULE } from '../defaults.ts';
import type { AuthServerSchedule, Redirect } from '../types.ts';
import { accessTokens } from './access-tokens.ts';
import { nonceBody } from './nonce.ts';
import { tokenAction, tokenThen } from './token-action.ts';
import { along, variedDimensions, type DimensionConstraints } from './_internals/dimensions.ts';
import { towardsFirst, weighted } from './_internals/weighted.ts';

/** Constraints on the generated authorization server. */
export interface AuthServerConstraints extends DimensionConstraints {
  /** Most scheduled token-request actions (default 4). */
  readonly maxTokenActions?: number;
}

/** RFC 9449 §5.1 `dpop_signing_alg_values_supported`: with and without ES256, in several orders. */
const ALG_LISTS: readonly (readonly string[])[] = [
  ['ES256', 'PS256'],
  ['PS256', 'ES256'],
  ['EdDSA', 'ES256', 'RS256'],
  ['PS256'],
  ['EdDSA'],
  ['RS256', 'PS256'],
];

/**
 * A redirect in front of an endpoint: rare, because it changes every request
 * after it; same-origin (a conformant client may follow it with a new proof
 * per hop) or, rarer, to another origin (where credentials must not follow).
 */
export function redirect(): fc.Arbitrary<Redirect> {
  return towardsFirst<Redirect>(
    weighted(18, null),
    weighted(2, 307),
    weighted(2, 308),
    weighted(1, { status: 307, crossOrigin: true }),
    weighted(1, { status: 308, crossOrigin: true }),
  );
}

/**
 * The authorization server's behaviour: nonce challenges and rotations at
 * the token endpoint (RFC 9449 §8), `token_type` spellings (RFC 6749 §5.1,
 * §7.1), advertised algs (RFC 9449 §5.1) and whether they are enforced, the
 * token endpoint's URL shape and redirects, token shapes, lifetimes that
 * force a refresh, refresh tokens.
 */
export function authServer(constraints: AuthServerConstraints = {}): fc.Arbitrary<AuthServerSchedule> {
  const base = BASE_SCHEDULE.as;
  const varied = variedDimensions(constraints);
  // Token actions are nonce events and errors: with neither varying, every action would be a plain `ok`.
  const actions = varied.has('nonces') || varied.has('errors');
  return fc.record({
    // null: the metadata leaves the OPTIONAL member out (RFC 9449 §5.1) and the client uses its default.
    algs: along(varied, 'algs', towardsFirst<readonly string[] | null>(weighted(6, base.algs), { weight: 4, arbitrary: fc.constantFrom(...ALG_LISTS) }, weighted(1, null)), base.algs),
    // RFC 6749 §5.1: token_type is case-insensitive; `Bearer` = the AS declines to bind; N_A is unknown (§7.1).
    tokenType: along(varied, 'tokens', towardsFirst(weighted(10, base.tokenType), weighted(3, 'dpop'), weighted(3, 'DPOP'), weighted(1, 'Bearer'), weighted(1, 'N_A')), base.tokenType),
    tokenPath: along(varied, 'urls', towardsFirst(weighted(6, base.tokenPath), { weight: 2, arbitrary: fc.constantFrom('/oauth2/v1/token', '/Token', '/as/token/') }), base.tokenPath),
    tokenQuery: along(varied, 'urls', towardsFirst<string | null>(weighted(6, base.tokenQuery), { weight: 1, arbitrary: fc.constantFrom('tenant=a', 'v=2&x=%7E') }), base.tokenQuery),
    tokenRedirect: along(varied, 'redirects', redirect(), base.tokenRedirect),
    accessTokens: along(varied, 'tokens', accessTokens(), base.accessTokens),
    initialNonce: along(varied, 'nonces', towardsFirst<string | null>(weighted(3, base.initialNonce), { weight: 1, arbitrary: nonceBody() }), base.initialNonce),
    tokenRequests: actions ? fc.array(tokenAction(varied), { maxLength: constraints.maxTokenActions ?? 4 }) : fc.constant(base.tokenRequests),
    then: tokenThen(varied),
    // Short lifetimes make a client refresh (RFC 6749 §6), possibly while requests are in flight.
    tokenLifetime: along(varied, 'tokens', towardsFirst(weighted(6, base.tokenLifetime), weighted(1, 60), weighted(1, 1)), base.tokenLifetime),
    refreshTokens: along(varied, 'tokens', towardsFirst(weighted(4, base.refreshTokens), weighted(1, !base.refreshTokens)), base.refreshTokens),
    // RFC 9449 §5.1: a server may refuse proofs signed with an algorithm it did not advertise.
    enforceAlgs: along(varied, 'algs', towardsFirst(weighted(4, base.enforceAlgs), weighted(1, !base.enforceAlgs)), base.enforceAlgs),
  });
}
