import { Hono } from 'hono';
import { authorizationRouter } from './auth-server/authorization-router.ts';
import { metadataRouter } from './auth-server/metadata-router.ts';
import { registrationRouter } from './auth-server/registration-router.ts';
import { newAuthServerState } from './auth-server/state.ts';
import { tokenRouter } from './auth-server/token-router.ts';
import type { WorldContext } from './context.ts';
import { notFound } from './traced-handler.ts';

/**
 * The test authorization server: RFC 8414 metadata, RFC 7591 registration, an
 * auto-approving authorization endpoint (PKCE S256), and a DPoP token
 * endpoint (RFC 9449 §5, §8) whose answers follow the schedule. One router
 * per endpoint family, sharing the server's state for the run.
 */
export function createAuthServer(world: WorldContext): Hono {
  const state = newAuthServerState(world);
  const app = new Hono()
    .route('/', metadataRouter(world))
    .route('/', registrationRouter(state))
    .route('/', authorizationRouter(state))
    .route('/', tokenRouter(state));
  app.notFound(notFound(world, 'as'));
  return app;
}
