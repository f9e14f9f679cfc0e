import type { CryptoKey } from 'jose';
import { NonceBook } from '../dpop/nonce.ts';
import type { Schedule } from '../schedule/types.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import type { ResponseDelays } from './response-delays.ts';

/** What both test servers share during one run. */
export interface WorldContext {
  readonly schedule: Schedule;
  readonly recorder: TraceRecorder;
  /** Milliseconds since the epoch; read only by the servers, never by the judges. */
  readonly now: () => number;
  /** Accepted |iat − now| in seconds (SEP-1932: ±5 minutes). */
  readonly iatWindowSeconds: number;
  readonly asNonces: NonceBook;
  readonly mcpNonces: NonceBook;
  /** Key the authorization server signs access tokens with. */
  readonly tokenSigningKey: CryptoKey;
  /** Holds responses back by the schedule's `responseDelays`. */
  readonly delays: ResponseDelays;
  /** Filled in once both servers listen. */
  readonly urls: WorldUrls;
  /**
   * Grant families (`IssuedToken.family`) the authorization server revoked
   * after a spent code or rotated refresh token came back (RFC 6749 §4.1.2,
   * RFC 9700 §4.14.2); the MCP server refuses their access tokens.
   */
  readonly revokedFamilies: Set<string>;
}

export interface WorldUrls {
  asOrigin: string;
  mcpOrigin: string;
  /** The MCP endpoint without query: the resource identifier (RFC 8707, RFC 9728). */
  mcpResource: string;
  /** The MCP URL handed to the client (with the schedule's query string). */
  mcpUrl: string;
  /** The token endpoint as advertised in the RFC 8414 metadata (with the schedule's query string). */
  tokenEndpoint: string;
  /** Where cross-origin redirects point (a third listener), or '' when the schedule has none. */
  elsewhereOrigin: string;
}

export function emptyUrls(): WorldUrls {
  return { asOrigin: '', mcpOrigin: '', mcpResource: '', mcpUrl: '', tokenEndpoint: '', elsewhereOrigin: '' };
}

export function newNonceBooks(schedule: Schedule): { asNonces: NonceBook; mcpNonces: NonceBook } {
  return { asNonces: new NonceBook(schedule.as.initialNonce), mcpNonces: new NonceBook(schedule.mcp.initialNonce) };
}
