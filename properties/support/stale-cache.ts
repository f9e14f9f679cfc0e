import { randomBytes } from 'node:crypto';
import { generateDpopKey } from '../../src/clients/dpop-key.ts';
import type { CachedCredentials } from '../../src/clients/token-cache.ts';

/**
 * What a persistent token cache holds for a URL after an earlier run on the
 * same port: a token and refresh token the servers of this run never issued,
 * bound to a key of that earlier run.
 */
export async function staleCredentials(): Promise<CachedCredentials> {
  const now = Date.now();
  return {
    key: await generateDpopKey('ES256'),
    token: {
      accessToken: `earlier-run-${randomBytes(12).toString('base64url')}`,
      tokenType: 'DPoP',
      bound: true,
      refreshToken: `earlier-run-${randomBytes(12).toString('base64url')}`,
      issuedAt: now,
      expiresAt: now + 3_600_000,
    },
  };
}
