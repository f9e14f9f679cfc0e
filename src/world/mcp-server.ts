import { Hono } from 'hono';
import type { McpAction, McpThen } from '../schedule/types.ts';
import { ActionCursor } from './action-cursor.ts';
import { buildChallenge, type ChallengeParams } from './challenge.ts';
import { safeDescription } from './error-description.ts';
import type { WorldContext } from './context.ts';
import type { McpSessions } from './mcp-sessions.ts';
import { verifyProof, type ProofVerdict } from './proof-verdict.ts';
import { movedPath, PRM_ROOT_PATH, resourceMetadataPath } from './paths.ts';
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
  const metadataUrl = (): string => `${world.urls.mcpOrigin}${resourceMetadataPath(mcp.path)}`;

  const prm = traced(world, 'mcp', 'prm', async (_req, _seq, c) => ({
    decision: { kind: 'served' },
    response: c.json({
      resource: world.urls.mcpResource,
      authorization_servers: [world.urls.asOrigin],
      bearer_methods_supported: ['header'],
      // RFC 9449 §5.1 and §7.1 name the algs; RFC 9728 §2 the binding requirement (absent = false).
      dpop_signing_alg_values_supported: algs,
      ...(mcp.boundTokensRequired !== null ? { dpop_bound_access_tokens_required: mcp.boundTokensRequired } : {}),
    }),
  }));
  app.get(resourceMetadataPath(mcp.path), prm);
  if (mcp.path !== '/') app.get(PRM_ROOT_PATH, prm);

  /** A 400/401 with the schedule's challenges (RFC 6750 §3, RFC 9449 §7.1) and a JSON error body. */
  const challengeResponse = (
    status: 400 | 401,
    params: Omit<ChallengeParams, 'resourceMetadata' | 'algs'>,
    extra: Record<string, string> = {},
  ): Pick<HandlerResult, 'response' | 'separateFields'> => {
    const headers = new Headers({ 'content-type': 'application/json', ...extra });
    const challenges = buildChallenge(mcp.challenge, { ...params, resourceMetadata: metadataUrl(), algs }, mcp.challengeFormat);
    for (const value of challenges) headers.append('www-authenticate', value);
    const body = { error: params.error ?? 'unauthorized', error_description: safeDescription(params.description ?? 'authorization required') };
    const response = new Response(JSON.stringify(body), { status, headers });
    // RFC 9110 §11.6.1: one field per challenge when the format asks for separate fields.
    return challenges.length > 1 ? { response, separateFields: { 'www-authenticate': challenges } } : { response };
  };

  const reject = (error: 'invalid_token' | 'invalid_dpop_proof' | 'invalid_request', reason: string): HandlerResult => ({
    decision: { kind: 'rejected', error, reason },
    error,
    ...challengeResponse(error === 'invalid_request' ? 400 : 401, { error, description: reason }),
  });

  /** RFC 9449 §7 / RFC 9110 §11.4: is the presented token acceptable, and its proof? */
  function authenticate(req: ReadRequest): HandlerResult | ProofVerdict {
    const auth = req.facts.authorization;
    if (auth.kind === 'none') {
      // RFC 6750 §3.1: no error code for a request without credentials.
      return { decision: { kind: 'unauthenticated' }, ...challengeResponse(401, {}) };
    }
    if (auth.kind === 'malformed') return reject('invalid_request', 'malformed Authorization header');
    const token = auth.tokenId === null ? undefined : world.recorder.findToken(auth.token);
    if (!token) return reject('invalid_token', 'unknown access token');
    if (token.expiresAt <= req.facts.receivedAt) return reject('invalid_token', 'access token expired');
    const scheme = auth.scheme.toLowerCase();
    const expectations = {
      htm: req.facts.method,
      htuTarget: req.facts.htuTarget,
      nowSeconds: req.facts.receivedAt / 1000,
      iatWindowSeconds: world.iatWindowSeconds,
      accessToken: auth.token,
      seenJtis,
      nonces: world.mcpNonces,
    };
    if (token.jkt === null) {
      // An unbound token (the AS answered token_type Bearer) may be used as a bearer token.
      if (scheme === 'bearer') return { kind: 'valid' };
      if (scheme === 'dpop') return verifyProof(req.facts.proof, expectations);
      return reject('invalid_token', `unsupported authorization scheme ${auth.scheme}`);
    }
    // RFC 9449 §7.2: a DPoP-bound token presented with any other scheme is refused.
    if (scheme !== 'dpop') return reject('invalid_token', `DPoP-bound access token presented with the ${auth.scheme} scheme`);
    return verifyProof(req.facts.proof, { ...expectations, boundJkt: token.jkt });
  }

  // With a redirect, the advertised path only redirects and `${path}/moved` is the MCP endpoint;
  // htu is judged against each request's own URL (RFC 9449 §4.3 check 9).
  const servingPath = mcp.redirect === null ? mcp.path : movedPath(mcp.path);
  if (mcp.redirect !== null) app.all(mcp.path, redirector(world, 'mcp', 'mcp', mcp.redirect, servingPath));
  app.all(
    servingPath,
    traced(world, 'mcp', 'mcp', async (req, _seq, c): Promise<HandlerResult> => {
      if (req.bodyTooLarge) return reject('invalid_request', 'request body too large');
      const verdict = authenticate(req);
      if ('response' in verdict) return verdict;
      if (verdict.kind === 'invalid') return reject('invalid_dpop_proof', verdict.reason);
      if (verdict.kind === 'nonce-required') {
        return {
          decision: { kind: 'nonce-required', nonce: verdict.nonce },
          error: 'use_dpop_nonce',
          ...challengeResponse(401, { error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof' }, { 'dpop-nonce': verdict.nonce }),
        };
      }
      const cursor = cursors[req.facts.method];
      if (!cursor) {
        return {
          decision: { kind: 'rejected', error: 'method_not_allowed', reason: `${req.facts.method} is not part of Streamable HTTP` },
          response: c.json({ error: 'method_not_allowed' }, 405, { allow: 'GET, POST, DELETE' }),
        };
      }
      const { index, action } = cursor.take();
      const decision = { kind: 'scheduled', index, action: action.kind } as const;
      switch (action.kind) {
        case 'use-dpop-nonce':
          world.mcpNonces.issue(action.nonce);
          return {
            decision,
            error: 'use_dpop_nonce',
            ...challengeResponse(401, { error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof' }, { 'dpop-nonce': action.nonce }),
          };
        case 'invalid-token':
          return { decision, error: 'invalid_token', ...challengeResponse(401, { error: 'invalid_token', description: 'The access token is not valid' }) };
        case 'transient': {
          const headers: Record<string, string> = action.retryAfter !== undefined ? { 'retry-after': String(action.retryAfter) } : {};
          return { decision, response: c.json({ error: 'temporarily_unavailable' }, action.status, headers) };
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
