import { Hono } from 'hono';
import { isCrossOrigin, movedPath, redirectStatus } from '../../schedule/served-paths.ts';
import { enforcedAlgs, verifyProof } from '../proof-verdict.ts';
import { redirector, traced, type HandlerResult } from '../traced-handler.ts';
import { checkGrant } from './grants.ts';
import { mint } from './mint.ts';
import { oauthError } from './oauth-error.ts';
import type { AuthServerState } from './state.ts';

/**
 * The DPoP token endpoint (RFC 9449 §5, §8): the proof is verified, nonces
 * are demanded, the grant is checked, then the schedule's next answer is
 * given. A schedule may put it behind a redirect.
 */
export function tokenRouter(state: AuthServerState): Hono {
  const { world } = state;
  const as = world.schedule.as;
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
      seenJtis: state.seenJtis,
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
    const grant = checkGrant(state, req, req.facts.proof?.jkt ?? null);
    if ('error' in grant) return reject(400, grant.error, grant.reason);
    const { index, action } = state.cursor.take();
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
        const { body, token } = await mint(state, grant.clientId, req.facts.proof!.jkt!, seq, req.facts.grant?.type ?? '', grant.family);
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
  const app = new Hono();
  // With a same-origin redirect, the advertised path only redirects and `${tokenPath}/moved` serves
  // tokens; a cross-origin one points at the world's third listener, which serves nothing.
  const status = redirectStatus(as.tokenRedirect);
  const servingPath = status === null || isCrossOrigin(as.tokenRedirect) ? as.tokenPath : movedPath(as.tokenPath);
  if (status !== null) {
    const to = isCrossOrigin(as.tokenRedirect) ? () => `${world.urls.elsewhereOrigin}${movedPath(as.tokenPath)}` : () => movedPath(as.tokenPath);
    app.all(as.tokenPath, redirector(world, 'as', 'token', status, to));
  }
  app.post(servingPath, tokenHandler);
  app.all(
    servingPath,
    traced(world, 'as', 'token', async (_req, _seq, c) => ({
      decision: { kind: 'rejected', error: 'invalid_request', reason: 'token endpoint accepts POST only' },
      error: 'invalid_request',
      response: c.json({ error: 'invalid_request', error_description: 'use POST' }, 405, { allow: 'POST' }),
    })),
  );
  return app;
}
