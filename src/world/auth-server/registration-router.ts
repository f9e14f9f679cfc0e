import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { REGISTER_PATH } from '../../schedule/served-paths.ts';
import { traced } from '../traced-handler.ts';
import { oauthError } from './oauth-error.ts';
import type { AuthServerState, RegisteredClient } from './state.ts';

/** RFC 7591 dynamic client registration (public clients). */
export function registrationRouter(state: AuthServerState): Hono {
  const { world } = state;
  return new Hono().post(
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
      state.clients.set(client.clientId, client);
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
}
