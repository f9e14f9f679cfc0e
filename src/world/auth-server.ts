import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { SignJWT } from 'jose';
import type { TokenAction, TokenThen } from '../schedule/types.ts';
import type { IssuedToken } from '../trace/types.ts';
import { ActionCursor } from './action-cursor.ts';
import type { WorldContext } from './context.ts';
import { safeDescription } from './error-description.ts';
import { enforcedAlgs, verifyProof } from './proof-verdict.ts';
import { AS_METADATA_PATH, AUTHORIZE_PATH, isCrossOrigin, movedPath, redirectStatus, REGISTER_PATH } from './paths.ts';
import type { ReadRequest } from './request-facts.ts';
import { notFound, redirector, traced, type HandlerResult } from './traced-handler.ts';

interface RegisteredClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
}

interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  /** RFC 9449 §10: the thumbprint the client asked the code to be bound to, if any. */
  readonly dpopJkt: string | null;
  /** The grant family its tokens belong to, once redeemed. */
  family: string | null;
}

interface RefreshGrant {
  readonly clientId: string;
  /** RFC 9449 §5: a public client's refresh token is bound to its proof key. */
  readonly jkt: string;
  readonly family: string;
  used: boolean;
}

/** What a token request's grant check decided. */
type GrantCheck =
  | { readonly clientId: string; readonly family: string; readonly consume: () => void }
  | { readonly error: string; readonly reason: string };

function tokenThen(rule: TokenThen, n: number): TokenAction {
  switch (rule.kind) {
    case 'ok':
      return { kind: 'ok' };
    case 'invalid-dpop-proof':
      return { kind: 'invalid-dpop-proof' };
    case 'use-dpop-nonce':
      return { kind: 'use-dpop-nonce', nonce: `${rule.noncePrefix}${n}` };
  }
}

/** RFC 6749 §5.2 error response. */
function oauthError(c: Context, status: 400 | 401, error: string, description: string, headers: Record<string, string> = {}): Response {
  return c.json({ error, error_description: safeDescription(description) }, status, { 'cache-control': 'no-store', ...headers });
}

/**
 * The test authorization server: RFC 8414 metadata, RFC 7591 registration, an
 * auto-approving authorization endpoint (PKCE S256), and a DPoP token
 * endpoint (RFC 9449 §5, §8) whose answers follow the schedule.
 */
export function createAuthServer(world: WorldContext): Hono {
  const as = world.schedule.as;
  const clients = new Map<string, RegisteredClient>();
  const codes = new Map<string, AuthorizationCode>();
  const refreshGrants = new Map<string, RefreshGrant>();
  const seenJtis = new Set<string>();
  const cursor = new ActionCursor(as.tokenRequests, as.then, tokenThen);
  let tokenCount = 0;
  let familyCount = 0;
  // Opaque tokens carry a part drawn per world, so a token cached from an earlier
  // run (an ephemeral port can repeat) is never one this world issued.
  const tokenSalt = randomBytes(6).toString('base64url');
  const app = new Hono();

  app.get(
    AS_METADATA_PATH,
    traced(world, 'as', 'as-metadata', async (_req, _seq, c) => ({
      decision: { kind: 'served' },
      response: c.json({
        issuer: world.urls.asOrigin,
        authorization_endpoint: `${world.urls.asOrigin}${AUTHORIZE_PATH}`,
        // RFC 8414 §2: the endpoint URL may carry a query; RFC 9449 §4.2: htu leaves it out.
        token_endpoint: world.urls.tokenEndpoint,
        registration_endpoint: `${world.urls.asOrigin}${REGISTER_PATH}`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        // RFC 9449 §5.1: OPTIONAL; a schedule may leave it out.
        ...(as.algs === null ? {} : { dpop_signing_alg_values_supported: as.algs }),
      }),
    })),
  );

  app.post(
    REGISTER_PATH,
    traced(world, 'as', 'register', async (req, _seq, c) => {
      let meta: unknown;
      try {
        meta = JSON.parse(req.body);
      } catch {
        meta = null;
      }
      const uris = (meta as { redirect_uris?: unknown } | null)?.redirect_uris;
      if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string')) {
        return {
          decision: { kind: 'rejected', error: 'invalid_redirect_uri', reason: 'redirect_uris missing' },
          error: 'invalid_redirect_uri',
          response: oauthError(c, 400, 'invalid_redirect_uri', 'redirect_uris must be a non-empty array of strings'),
        };
      }
      const client: RegisteredClient = { clientId: randomUUID(), redirectUris: uris as string[] };
      clients.set(client.clientId, client);
      return {
        decision: { kind: 'served' },
        response: c.json(
          {
            ...(meta as object),
            client_id: client.clientId,
            client_id_issued_at: Math.floor(world.now() / 1000),
            token_endpoint_auth_method: 'none',
            // RFC 9449 §5.2
            dpop_bound_access_tokens: true,
          },
          201,
        ),
      };
    }),
  );

  app.get(
    AUTHORIZE_PATH,
    traced(world, 'as', 'authorize', async (req, _seq, c) => {
      const q = new URL(req.facts.url).searchParams;
      const client = clients.get(q.get('client_id') ?? '');
      const redirectUri = q.get('redirect_uri') ?? client?.redirectUris[0] ?? '';
      const problem =
        !client ? 'unknown client_id'
        : !client.redirectUris.includes(redirectUri) ? 'redirect_uri not registered'
        : q.get('response_type') !== 'code' ? 'response_type must be code'
        : q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') ? 'PKCE S256 required'
        : null;
      if (problem !== null || !client) {
        return {
          decision: { kind: 'rejected', error: 'invalid_request', reason: problem ?? 'invalid request' },
          error: 'invalid_request',
          response: oauthError(c, 400, 'invalid_request', problem ?? 'invalid request'),
        };
      }
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: q.get('code_challenge')!, dpopJkt: q.get('dpop_jkt'), family: null });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      const state = q.get('state');
      if (state !== null) target.searchParams.set('state', state);
      // RFC 9207: name the issuer in the response.
      target.searchParams.set('iss', world.urls.asOrigin);
      return { decision: { kind: 'served' }, response: c.redirect(target.toString(), 302) };
    }),
  );

  /**
   * RFC 6749 §4.1.3 / §6: checks the grant. A code is single-use and a
   * refresh token is rotated on use; either one coming back after it was
   * spent is refused and revokes every token of its family (RFC 6749 §4.1.2,
   * RFC 9700 §4.14.2). RFC 9449 §10: a code requested with `dpop_jkt` is
   * redeemed only with a proof of that key.
   */
  function checkGrant(req: ReadRequest, proofJkt: string | null): GrantCheck {
    const invalid = (reason: string) => ({ error: 'invalid_grant', reason });
    const form = new URLSearchParams(req.body);
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
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
      const family = `f${familyCount++}`;
      return { clientId: code.clientId, family, consume: () => (code.family = family) };
    }
    if (grantType === 'refresh_token') {
      const grant = refreshGrants.get(form.get('refresh_token') ?? '');
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

  /**
   * The access token string. A JWT carries `cnf.jkt` (RFC 9449 §6.1); an
   * opaque token is `${stem}${salt}${n}${"=" × padding}` (RFC 6750 §2.1 b64token), n
   * counting the tokens of this world so every token is distinct, and its
   * binding is only known to the servers (RFC 9449 §6.2), through the trace's
   * token record.
   */
  async function accessTokenFor(clientId: string, jkt: string, bound: boolean, issuedAtMs: number, expiresAtMs: number, n: number): Promise<string> {
    const format = as.accessTokens;
    if (format.kind === 'opaque') return `${format.stem}${tokenSalt}${n}${'='.repeat(format.padding)}`;
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

  async function mint(clientId: string, jkt: string, seq: number, grantType: string, family: string): Promise<{ body: object; token: IssuedToken }> {
    // RFC 9449 §5: the AS may decline to bind and answer token_type Bearer.
    const bound = as.tokenType.toLowerCase() !== 'bearer';
    // RFC 6749 §5.1: expires_in seconds from now — exactly, so `expires_in: 1` lives a whole second.
    const issuedAtMs = world.now();
    const expiresAtMs = issuedAtMs + as.tokenLifetime * 1000;
    const n = tokenCount++;
    const accessToken = await accessTokenFor(clientId, jkt, bound, issuedAtMs, expiresAtMs, n);
    const refreshToken = as.refreshTokens ? randomBytes(24).toString('base64url') : null;
    if (refreshToken !== null) refreshGrants.set(refreshToken, { clientId, jkt, family, used: false });
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

  const tokenHandler = traced(world, 'as', 'token', async (req, seq, c): Promise<HandlerResult> => {
    const reject = (status: 400 | 401, error: string, reason: string, headers: Record<string, string> = {}): HandlerResult => ({
      decision: { kind: 'rejected', error, reason },
      error,
      response: oauthError(c, status, error, reason, headers),
    });
    const contentType = c.req.header('content-type') ?? '';
    if (req.bodyTooLarge) return reject(400, 'invalid_request', 'request body too large');
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return reject(400, 'invalid_request', 'token requests must be application/x-www-form-urlencoded (RFC 6749 §3.2)');
    }
    const verdict = verifyProof(req.facts.proof, {
      htm: 'POST',
      htuTarget: req.facts.htuTarget,
      nowSeconds: req.facts.receivedAt / 1000,
      iatWindowSeconds: world.iatWindowSeconds,
      seenJtis,
      nonces: world.asNonces,
      algs: enforcedAlgs(world.schedule),
    });
    if (verdict.kind === 'invalid') return reject(400, 'invalid_dpop_proof', verdict.reason);
    if (verdict.kind === 'nonce-required') {
      // RFC 9449 §8: 400 use_dpop_nonce with the nonce to use.
      return {
        decision: { kind: 'nonce-required', nonce: verdict.nonce },
        error: 'use_dpop_nonce',
        response: oauthError(c, 400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof', { 'dpop-nonce': verdict.nonce }),
      };
    }
    const grant = checkGrant(req, req.facts.proof?.jkt ?? null);
    if ('error' in grant) return reject(400, grant.error, grant.reason);
    const { index, action } = cursor.take();
    const decision = { kind: 'scheduled', index, action: action.kind } as const;
    switch (action.kind) {
      case 'use-dpop-nonce':
        world.asNonces.issue(action.nonce);
        return {
          decision,
          error: 'use_dpop_nonce',
          response: oauthError(c, 400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof', { 'dpop-nonce': action.nonce }),
        };
      case 'invalid-dpop-proof':
        return { decision, error: 'invalid_dpop_proof', response: oauthError(c, 400, 'invalid_dpop_proof', 'DPoP proof rejected') };
      case 'ok':
      case 'ok-new-nonce': {
        grant.consume();
        const { body, token } = await mint(grant.clientId, req.facts.proof!.jkt!, seq, req.facts.grant?.type ?? '', grant.family);
        const headers: Record<string, string> = { 'cache-control': 'no-store' };
        if (action.kind === 'ok-new-nonce') {
          // RFC 9449 §8.2: a new nonce may come with a success.
          world.asNonces.issue(action.nonce);
          headers['dpop-nonce'] = action.nonce;
        }
        return { decision, issuedTokenId: token.id, response: c.json(body, 200, headers) };
      }
    }
  });
  // With a same-origin redirect, the advertised path only redirects and `${tokenPath}/moved` serves
  // tokens; a cross-origin one points at the world's third listener, which serves nothing.
  const status = redirectStatus(as.tokenRedirect);
  const servingPath = status === null || isCrossOrigin(as.tokenRedirect) ? as.tokenPath : movedPath(as.tokenPath);
  if (status !== null) {
    const to = isCrossOrigin(as.tokenRedirect) ? () => `${world.urls.elsewhereOrigin}${movedPath(as.tokenPath)}` : () => movedPath(as.tokenPath);
    app.all(as.tokenPath, redirector(world, 'as', 'token', status, to));
  }
  app.post(servingPath, tokenHandler);
  app.all(servingPath, traced(world, 'as', 'token', async (_req, _seq, c) => ({
    decision: { kind: 'rejected', error: 'invalid_request', reason: 'token endpoint accepts POST only' },
    error: 'invalid_request',
    response: c.json({ error: 'invalid_request', error_description: 'use POST' }, 405, { allow: 'POST' }),
  })));
  app.notFound(notFound(world, 'as'));
  return app;
}
