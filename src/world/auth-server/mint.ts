import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { IssuedToken } from '../../trace/types.ts';
import type { AuthServerState } from './state.ts';

/**
 * The access token string. A JWT carries `cnf.jkt` (RFC 9449 §6.1); an
 * opaque token is `${stem}${salt}${n}${"=" × padding}` (RFC 6750 §2.1 b64token), n
 * counting the tokens of this world so every token is distinct, and its
 * binding is only known to the servers (RFC 9449 §6.2), through the trace's
 * token record.
 */
async function accessTokenFor(state: AuthServerState, clientId: string, jkt: string, bound: boolean, issuedAtMs: number, expiresAtMs: number, n: number): Promise<string> {
  const { world } = state;
  const format = world.schedule.as.accessTokens;
  if (format.kind === 'opaque') return `${format.stem}${state.tokenSalt}${n}${'='.repeat(format.padding)}`;
  return new SignJWT({ client_id: clientId, ...(bound ? { cnf: { jkt } } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer(world.urls.asOrigin)
    .setAudience(world.urls.mcpResource)
    .setSubject('dpop-fuzz-user')
    .setIssuedAt(Math.floor(issuedAtMs / 1000))
    // RFC 7519 §4.1.4: exp is whole seconds; rounded up so the token never dies early.
    .setExpirationTime(Math.ceil(expiresAtMs / 1000))
    .setJti(randomUUID())
    .sign(world.tokenSigningKey);
}

/** Issues an access token (and a refresh token when the schedule gives them), records it in the trace, and returns the RFC 6749 §5.1 body. */
export async function mint(state: AuthServerState, clientId: string, jkt: string, seq: number, grantType: string, family: string): Promise<{ body: object; token: IssuedToken }> {
  const { world } = state;
  const as = world.schedule.as;
  // RFC 9449 §5: the AS may decline to bind and answer token_type Bearer.
  const bound = as.tokenType.toLowerCase() !== 'bearer';
  // RFC 6749 §5.1: expires_in seconds from now — exactly, so `expires_in: 1` lives a whole second.
  const issuedAtMs = world.now();
  const expiresAtMs = issuedAtMs + as.tokenLifetime * 1000;
  const n = state.tokenCount++;
  const accessToken = await accessTokenFor(state, clientId, jkt, bound, issuedAtMs, expiresAtMs, n);
  const refreshToken = as.refreshTokens ? randomBytes(24).toString('base64url') : null;
  if (refreshToken !== null) state.refreshGrants.set(refreshToken, { clientId, jkt, family, used: false });
  const token: IssuedToken = {
    id: `t${n}`,
    accessToken,
    tokenType: as.tokenType,
    jkt: bound ? jkt : null,
    refreshToken,
    seq,
    grantType,
    expiresAt: expiresAtMs,
    family,
  };
  world.recorder.addToken(token);
  const body = {
    access_token: accessToken,
    token_type: as.tokenType,
    expires_in: as.tokenLifetime,
    ...(refreshToken !== null ? { refresh_token: refreshToken } : {}),
  };
  return { body, token };
}
