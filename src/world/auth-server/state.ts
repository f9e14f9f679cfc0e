import { randomBytes } from 'node:crypto';
import type { TokenAction, TokenThen } from '../../schedule/types.ts';
import { ActionCursor } from '../action-cursor.ts';
import type { WorldContext } from '../context.ts';

export interface RegisteredClient {
  readonly clientId: string;
  readonly redirectUris: readonly string[];
}

export interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  /** RFC 9449 §10: the thumbprint the client asked the code to be bound to, if any. */
  readonly dpopJkt: string | null;
  /** The grant family its tokens belong to, once redeemed. */
  family: string | null;
}

export interface RefreshGrant {
  readonly clientId: string;
  /** RFC 9449 §5: a public client's refresh token is bound to its proof key. */
  readonly jkt: string;
  readonly family: string;
  used: boolean;
}

/** What the authorization server remembers during one run; its routers share it. */
export interface AuthServerState {
  readonly world: WorldContext;
  readonly clients: Map<string, RegisteredClient>;
  readonly codes: Map<string, AuthorizationCode>;
  readonly refreshGrants: Map<string, RefreshGrant>;
  /** RFC 9449 §11.1: jtis seen at the token endpoint. */
  readonly seenJtis: Set<string>;
  /** The schedule's token-endpoint answers, in order. */
  readonly cursor: ActionCursor<TokenAction, TokenThen>;
  tokenCount: number;
  familyCount: number;
  /**
   * Opaque tokens carry a part drawn per world, so a token cached from an
   * earlier run (an ephemeral port can repeat) is never one this world issued.
   */
  readonly tokenSalt: string;
}

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

export function newAuthServerState(world: WorldContext): AuthServerState {
  const as = world.schedule.as;
  return {
    world,
    clients: new Map(),
    codes: new Map(),
    refreshGrants: new Map(),
    seenJtis: new Set(),
    cursor: new ActionCursor(as.tokenRequests, as.then, tokenThen),
    tokenCount: 0,
    familyCount: 0,
    tokenSalt: randomBytes(6).toString('base64url'),
  };
}
