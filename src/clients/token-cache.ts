import type { DpopKey } from './dpop-key.ts';
import type { TokenSet } from './token-endpoint.ts';

/** A token and the key it is bound to (RFC 9449 §6.1: the two belong together). */
export interface CachedCredentials {
  readonly key: DpopKey;
  readonly token: TokenSet;
}

/**
 * Tokens kept across runs, keyed by MCP URL, as a long-lived client keeps
 * them (policy `tokenCache: 'persistent'`). When a server no longer knows a
 * cached token (a test server on a port an earlier one used), it answers
 * `invalid_token` and the client authorizes again.
 */
export class TokenCache {
  private readonly entries = new Map<string, CachedCredentials>();

  get(mcpUrl: string): CachedCredentials | undefined {
    return this.entries.get(mcpUrl);
  }

  set(mcpUrl: string, credentials: CachedCredentials): void {
    this.entries.set(mcpUrl, credentials);
  }
}

/** The cache every run in this process shares. */
export const PROCESS_TOKEN_CACHE = new TokenCache();
