import { Hono } from 'hono';
import type { McpAction, McpThen } from '../schedule/types.ts';
import { ActionCursor } from './action-cursor.ts';
import { buildChallenge, type ChallengeParams } from './challenge.ts';
import { safeDescription } from './error-description.ts';
import type { WorldContext } from './context.ts';
import type { McpSessions } from './mcp-sessions.ts';
import { enforcedAlgs, verifyProof, type ProofVerdict } from './proof-verdict.ts';
import { isCrossOrigin, movedPath, PRM_ROOT_PATH, redirectStatus, resourceMetadataPath } from '../schedule/served-paths.ts';
import type { ReadRequest } from './request-facts.ts';
import { notFound, redirector, traced, type HandlerResult } from './traced-handler.ts';

export { resourceMetadataPath };

function mcpThen(rule: McpThen, n: number): McpAction {
  switch (rule.kind) {
    case 'ok':
      return { kind: 'ok' };
    case 'invalid-token':
      return { kind: 'invalid-token' };
    case 'use-dpop-nonce':
      return { kind: 'use-dpop-nonce', nonce: `${rule.noncePrefix}${n}` };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The test MCP server: RFC 9728 metadata and the MCP endpoint, where every
 * request (POST, GET SSE stream, DELETE) passes the same DPoP judge (RFC 9449
 * §4.3, §7) before the schedule decides what happens to it.
 */
export function createServer(world: WorldContext, sessions: McpSessions): Hono {
  const mcp = world.schedule.mcp;
  const algs = world.schedule.as.algs;
  const seenJtis = new Set<string>();
  const cursors: Record<string, ActionCursor<McpAction, McpThen>> = {
    POST: new ActionCursor(mcp.post, mcp.then, mcpThen),
    GET: new ActionCursor(mcp.get, mcp.then, mcpThen),
    DELETE: new ActionCursor(mcp.delete, mcp.then, mcpThen),
  };
  const app = new Hono();
  const status = redirectStatus(mcp.redirect);
  // With a same-origin redirect, the advertised path only redirects and `${path}/moved` is the MCP
  // endpoint; a cross-origin one points at the world's third listener, which serves nothing.
  const servingPath = status === null || isCrossOrigin(mcp.redirect) ? mcp.path : movedPath(mcp.path);

  /**
   * RFC 9728 §3.1/§3.3: the metadata of a resource names that very resource,
   * so `resource` is the URL the metadata URL was built from — the path after
   * the well-known prefix, with the query (RFC 9728 §3.1 keeps it). The root
   * document describes the MCP URL the client was given.
   */
  const prm = traced(world, 'mcp', 'prm', async (req, _seq, c) => {
    const url = new URL(req.facts.url);
    const path = url.pathname.slice(PRM_ROOT_PATH.length);
    return {
      decision: { kind: 'served' },
      response: c.json({
        resource: path === '' ? world.urls.mcpUrl : `${world.urls.mcpOrigin}${path}${url.search}`,
        authorization_servers: [world.urls.asOrigin],
        bearer_methods_supported: ['header'],
        // RFC 9449 §5.1 and §7.1 name the algs; RFC 9728 §2 the binding requirement (absent = false).
        ...(algs === null ? {} : { dpop_signing_alg_values_supported: algs }),
        ...(mcp.boundTokensRequired !== null ? { dpop_bound_access_tokens_required: mcp.boundTokensRequired } : {}),
      }),
    };
  });
  app.get(resourceMetadataPath(servingPath), prm);
  if (servingPath !== mcp.path) app.get(resourceMetadataPath(mcp.path), prm);
  if (mcp.path !== '/') app.get(PRM_ROOT_PATH, prm);

  /** RFC 9728 §5.1: the metadata of the URL this request went to (path and query). */
  const metadataUrl = (req: ReadRequest): string => {
    const url = new URL(req.facts.url);
    return `${world.urls.mcpOrigin}${resourceMetadataPath(url.pathname)}${url.search}`;
  };

  /** A 400/401 with the schedule's challenges (RFC 6750 §3, RFC 9449 §7.1) and a JSON error body. */
  const challengeResponse = (
    req: ReadRequest,
    status: 400 | 401,
    params: Omit<ChallengeParams, 'resourceMetadata' | 'algs'>,
    extra: Record<string, string> = {},
  ): Pick<HandlerResult, 'response' | 'separateFields'> => {
    const headers = new Headers({ 'content-type': 'application/json', ...extra });
    const challenges = buildChallenge(mcp.challenge, { ...params, resourceMetadata: metadataUrl(req), algs: algs ?? [] }, mcp.challengeFormat);
    for (const value of challenges) headers.append('www-authenticate', value);
    const body = { error: params.error ?? 'unauthorized', error_description: safeDescription(params.description ?? 'authorization required') };
    const response = new Response(JSON.stringify(body), { status, headers });
    // RFC 9110 §11.6.1: one field per challenge when the format asks for separate fields.
    return challenges.length > 1 ? { response, separateFields: { 'www-authenticate': challenges } } : { response };
  };

  const reject = (req: ReadRequest, error: 'invalid_token' | 'invalid_dpop_proof' | 'invalid_request', reason: string): HandlerResult => ({
    decision: { kind: 'rejected', error, reason },
    error,
    ...challengeResponse(req, error === 'invalid_request' ? 400 : 401, { error, description: reason }),
  });

  /**
   * RFC 9449 §7 / RFC 9110 §11.4: is the presented token acceptable, and its
   * proof? `bearer` means the token is taken as a plain bearer token (RFC
   * 6750), without looking at any proof.
   */
  function authenticate(req: ReadRequest): HandlerResult | ProofVerdict | { readonly kind: 'bearer' } {
    const auth = req.facts.authorization;
    if (auth.kind === 'none') {
      // RFC 6750 §3.1: no error code for a request without credentials.
      return { decision: { kind: 'unauthenticated' }, ...challengeResponse(req, 401, {}) };
    }
    if (auth.kind === 'malformed') return reject(req, 'invalid_request', 'malformed Authorization header');
    const token = auth.tokenId === null ? undefined : world.recorder.findToken(auth.token);
    if (!token) return reject(req, 'invalid_token', 'unknown access token');
    if (token.expiresAt <= req.facts.receivedAt) return reject(req, 'invalid_token', 'access token expired');
    if (world.revokedFamilies.has(token.family)) return reject(req, 'invalid_token', 'access token revoked (its grant was reused)');
    const scheme = auth.scheme.toLowerCase();
    // RFC 9449 §5.2 / RFC 9728 §2: this resource takes DPoP-bound tokens only, with the DPoP scheme.
    if (mcp.boundTokensRequired === true && (scheme !== 'dpop' || token.jkt === null)) {
      const why = token.jkt === null ? 'a token that is not DPoP-bound' : `the ${auth.scheme} scheme`;
      return reject(req, 'invalid_token', `this resource requires DPoP-bound access tokens (dpop_bound_access_tokens_required); got ${why}`);
    }
    const expectations = {
      htm: req.facts.method,
      htuTarget: req.facts.htuTarget,
      nowSeconds: req.facts.receivedAt / 1000,
      iatWindowSeconds: world.iatWindowSeconds,
      accessToken: auth.token,
      seenJtis,
      nonces: world.mcpNonces,
      algs: enforcedAlgs(world.schedule),
    };
    // RFC 9449 §4.3 check 12, §7.1: the DPoP scheme asks the resource to confirm the token's key
    // binding, and an unbound token (token_type Bearer) has none to confirm.
    if (scheme === 'dpop' && token.jkt === null) return reject(req, 'invalid_token', 'an access token that is not DPoP-bound presented with the DPoP scheme');
    if (scheme === 'dpop') return verifyProof(req.facts.proof, { ...expectations, boundJkt: token.jkt });
    // RFC 6750: an unbound token (the AS answered token_type Bearer) is a bearer token. RFC 9449
    // §7.2: a resource that challenges with Bearer only takes a bound token as one too; any
    // other resource refuses a DPoP-bound token presented with another scheme.
    if (scheme === 'bearer' && (token.jkt === null || mcp.challenge === 'Bearer')) return { kind: 'bearer' };
    if (token.jkt !== null) return reject(req, 'invalid_token', `DPoP-bound access token presented with the ${auth.scheme} scheme`);
    return reject(req, 'invalid_token', `unsupported authorization scheme ${auth.scheme}`);
  }

  if (status !== null) {
    const to = isCrossOrigin(mcp.redirect) ? () => `${world.urls.elsewhereOrigin}${movedPath(mcp.path)}` : () => servingPath;
    app.all(mcp.path, redirector(world, 'mcp', 'mcp', status, to));
  }
  app.all(
    servingPath,
    traced(world, 'mcp', 'mcp', async (req, _seq, c): Promise<HandlerResult> => {
      if (req.bodyTooLarge) return reject(req, 'invalid_request', 'request body too large');
      const verdict = authenticate(req);
      if ('response' in verdict) return verdict;
      if (verdict.kind === 'invalid') return reject(req, 'invalid_dpop_proof', verdict.reason);
      if (verdict.kind === 'nonce-required') {
        return {
          decision: { kind: 'nonce-required', nonce: verdict.nonce },
          error: 'use_dpop_nonce',
          ...challengeResponse(req, 401, { error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof' }, { 'dpop-nonce': verdict.nonce }),
        };
      }
      const cursor = cursors[req.facts.method];
      if (!cursor) {
        return {
          decision: { kind: 'rejected', error: 'method_not_allowed', reason: `${req.facts.method} is not part of Streamable HTTP` },
          response: c.json({ error: 'method_not_allowed' }, 405, { allow: 'GET, POST, DELETE' }),
        };
      }
      const taken = cursor.take();
      // RFC 9449 §9: nonces are asked of DPoP proofs; a bearer request is served without one (RFC 6750).
      const nonceless = verdict.kind === 'bearer' && (taken.action.kind === 'use-dpop-nonce' || taken.action.kind === 'ok-new-nonce');
      const action: McpAction = nonceless ? { kind: 'ok' } : taken.action;
      const decision = { kind: 'scheduled', index: taken.index, action: nonceless ? `${taken.action.kind} (served as ok: a bearer request gets no nonce)` : action.kind } as const;
      switch (action.kind) {
        case 'use-dpop-nonce':
          world.mcpNonces.issue(action.nonce);
          return {
            decision,
            error: 'use_dpop_nonce',
            ...challengeResponse(req, 401, { error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof' }, { 'dpop-nonce': action.nonce }),
          };
        case 'invalid-token':
          return { decision, error: 'invalid_token', ...challengeResponse(req, 401, { error: 'invalid_token', description: 'The access token is not valid' }) };
        case 'transient': {
          const headers: Record<string, string> = action.retryAfter !== undefined ? { 'retry-after': String(action.retryAfter) } : {};
          return { decision, response: c.json({ error: 'temporarily_unavailable' }, action.status, headers) };
        }
        case 'redirect-elsewhere': {
          // RFC 9110 §15.4.8/§15.4.9 to another origin (RFC 6454), query kept.
          const url = new URL(req.facts.url);
          const location = `${world.urls.elsewhereOrigin}${url.pathname}${url.search}`;
          return { decision, response: new Response(null, { status: action.status, headers: { location } }) };
        }
        case 'ok':
        case 'ok-new-nonce': {
          const parsed = parseJson(req.body);
          const forwarded = new Request(c.req.raw.url, {
            method: req.facts.method,
            headers: c.req.raw.headers,
            ...(req.facts.method === 'POST' ? { body: req.body } : {}),
          });
          const sdkResponse = await sessions.handle(forwarded, parsed.ok ? parsed.value : undefined);
          const response = new Response(sdkResponse.body, sdkResponse);
          if (action.kind === 'ok-new-nonce') {
            // RFC 9449 §9 with §8.2: a new nonce may ride on a success.
            world.mcpNonces.issue(action.nonce);
            response.headers.set('dpop-nonce', action.nonce);
          }
          const minted = req.facts.sessionId === null ? response.headers.get('mcp-session-id') : null;
          return { decision, response, issuedSessionId: minted };
        }
      }
    }),
  );
  app.notFound(notFound(world, 'mcp'));
  return app;
}
