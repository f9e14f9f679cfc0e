import { Hono } from 'hono';
import type { WorldContext } from '../context.ts';
import { AS_METADATA_PATH, AUTHORIZE_PATH, REGISTER_PATH } from '../../schedule/served-paths.ts';
import { traced } from '../traced-handler.ts';

/** RFC 8414 authorization server metadata. */
export function metadataRouter(world: WorldContext): Hono {
  const as = world.schedule.as;
  return new Hono().get(
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
}
