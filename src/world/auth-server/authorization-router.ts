import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { AUTHORIZE_PATH } from '../../schedule/served-paths.ts';
import { traced } from '../traced-handler.ts';
import { oauthError } from './oauth-error.ts';
import type { AuthServerState } from './state.ts';

/** An auto-approving authorization endpoint (RFC 6749 §4.1.1, PKCE S256, RFC 9449 §10 `dpop_jkt`). */
export function authorizationRouter(state: AuthServerState): Hono {
  const { world } = state;
  return new Hono().get(
    AUTHORIZE_PATH,
    traced(world, 'as', 'authorize', async (req, _seq, c) => {
      const q = new URL(req.facts.url).searchParams;
      const client = state.clients.get(q.get('client_id') ?? '');
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
      state.codes.set(code, { clientId: client.clientId, redirectUri, codeChallenge: q.get('code_challenge')!, dpopJkt: q.get('dpop_jkt'), family: null });
      const target = new URL(redirectUri);
      target.searchParams.set('code', code);
      const st = q.get('state');
      if (st !== null) target.searchParams.set('state', st);
      // RFC 9207: name the issuer in the response.
      target.searchParams.set('iss', world.urls.asOrigin);
      return { decision: { kind: 'served' }, response: c.redirect(target.toString(), 302) };
    }),
  );
}
