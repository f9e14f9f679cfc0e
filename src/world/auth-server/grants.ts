import { createHash } from 'node:crypto';
import type { ReadRequest } from '../request-facts.ts';
import type { AuthServerState } from './state.ts';

/** What a token request's grant check decided. */
export type GrantCheck =
  | { readonly clientId: string; readonly family: string; readonly consume: () => void }
  | { readonly error: string; readonly reason: string };

/**
 * RFC 6749 §4.1.3 / §6: checks the grant. A code is single-use and a
 * refresh token is rotated on use; either one coming back after it was
 * spent is refused and revokes every token of its family (RFC 6749 §4.1.2,
 * RFC 9700 §4.14.2). RFC 9449 §10: a code requested with `dpop_jkt` is
 * redeemed only with a proof of that key.
 */
export function checkGrant(state: AuthServerState, req: ReadRequest, proofJkt: string | null): GrantCheck {
  const { world } = state;
  const invalid = (reason: string) => ({ error: 'invalid_grant', reason });
  const form = new URLSearchParams(req.body);
  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') {
    const code = state.codes.get(form.get('code') ?? '');
    if (!code) return invalid('unknown authorization code');
    if (code.family !== null) {
      world.revokedFamilies.add(code.family);
      return invalid('authorization code already used; the tokens issued for it are revoked (RFC 6749 §4.1.2)');
    }
    if (form.get('redirect_uri') !== null && form.get('redirect_uri') !== code.redirectUri) return invalid('redirect_uri mismatch');
    if ((form.get('client_id') ?? code.clientId) !== code.clientId) return invalid('client_id mismatch');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return invalid('PKCE verification failed');
    if (code.dpopJkt !== null && code.dpopJkt !== proofJkt) {
      return { error: 'invalid_request', reason: 'DPoP proof key thumbprint does not match dpop_jkt (RFC 9449 §10)' };
    }
    const family = `f${state.familyCount++}`;
    return { clientId: code.clientId, family, consume: () => (code.family = family) };
  }
  if (grantType === 'refresh_token') {
    const grant = state.refreshGrants.get(form.get('refresh_token') ?? '');
    if (!grant) return invalid('unknown refresh token');
    if (grant.used || world.revokedFamilies.has(grant.family)) {
      world.revokedFamilies.add(grant.family);
      return invalid('refresh token already used (rotated); its token family is revoked (RFC 9700 §4.14.2)');
    }
    if (proofJkt !== grant.jkt) return invalid('refresh proof key differs from the key the refresh token is bound to');
    return { clientId: grant.clientId, family: grant.family, consume: () => (grant.used = true) };
  }
  return { error: 'unsupported_grant_type', reason: `unsupported grant_type ${String(grantType)}` };
}
