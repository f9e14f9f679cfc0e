/**
 * The trace is the only thing the judges look at: every request either test
 * server received, in arrival order, with what the server saw and decided.
 * It is plain JSON so a run can be stored, diffed and re-judged offline.
 */

/**
 * Which listener a request reached: the authorization server, the MCP server,
 * or `elsewhere`, the origin a cross-origin redirect points to (it serves
 * nothing; it only shows what a client carried there).
 */
export type ServerRole = 'as' | 'mcp' | 'elsewhere';

/** Which endpoint of a server a request hit. */
export type Endpoint =
  | 'as-metadata'
  | 'register'
  | 'authorize'
  | 'token'
  | 'prm'
  | 'mcp'
  | 'other';

/** RFC 9449 §4.2: the JOSE header of a DPoP proof, as sent. */
export interface ProofHeader {
  readonly typ?: unknown;
  readonly alg?: unknown;
  readonly jwk?: unknown;
  readonly [name: string]: unknown;
}

/** RFC 9449 §4.2: the claims of a DPoP proof, as sent (unvalidated). */
export interface ProofClaims {
  readonly jti?: unknown;
  readonly htm?: unknown;
  readonly htu?: unknown;
  readonly iat?: unknown;
  readonly ath?: unknown;
  readonly nonce?: unknown;
  readonly [name: string]: unknown;
}

/**
 * What the server made of the `DPoP` header(s) of one request. Structural
 * problems (not a JWT, bad signature, private key in `jwk`, …) are recorded in
 * `problems`; claim values are left for the checks to judge.
 */
export interface ProofObservation {
  /** How many `DPoP` header fields arrived (RFC 9449 §4.3 check 1: exactly one). */
  readonly count: number;
  /** The raw header value (the first one when several arrived), possibly truncated. */
  readonly raw: string;
  /** Decoded JOSE header, when the value parsed as a compact JWS. */
  readonly header: ProofHeader | null;
  /** Decoded claims, when the payload parsed as a JSON object. */
  readonly claims: ProofClaims | null;
  /** The signature verified against the embedded `jwk` (RFC 9449 §4.3 check 6). */
  readonly signatureValid: boolean;
  /** RFC 7638 SHA-256 thumbprint of the embedded `jwk`, when it is a usable public key. */
  readonly jkt: string | null;
  /** Structural problems found, human readable; empty when the proof is well-formed. */
  readonly problems: readonly string[];
  /**
   * Legal spellings a strict server may still refuse (e.g. `typ`
   * `application/dpop+jwt`, the same media type per RFC 7515 §4.1.9): an
   * interoperability WARNING, never a reason to reject the proof.
   */
  readonly notes?: readonly string[];
}

/** The `Authorization` header as presented. */
export type AuthorizationObservation =
  | { readonly kind: 'none' }
  | { readonly kind: 'credentials'; readonly scheme: string; readonly token: string; readonly tokenId: string | null }
  | { readonly kind: 'malformed'; readonly raw: string };

/** One JSON-RPC message in an MCP POST body. */
export interface RpcMessage {
  readonly method: string | null;
  readonly id: string | number | null;
}

/** Why the server answered the way it did. */
export type Decision =
  /** Metadata, registration, authorization: no DPoP involved. */
  | { readonly kind: 'served' }
  /** An MCP request without credentials: 401 with a challenge (RFC 6750 §3). */
  | { readonly kind: 'unauthenticated' }
  /** The server rejected the request on its own (bad proof, token, grant…). */
  | { readonly kind: 'rejected'; readonly error: string; readonly reason: string }
  /** RFC 9449 §11.3: the proof lacked the server's current nonce. */
  | { readonly kind: 'nonce-required'; readonly nonce: string }
  /** The request passed every check; the schedule's action was applied. */
  | { readonly kind: 'scheduled'; readonly index: number; readonly action: string };

export interface TraceEntry {
  /** Arrival order across both servers, from 0. */
  readonly seq: number;
  readonly server: ServerRole;
  readonly endpoint: Endpoint;
  /** Milliseconds since the epoch, read by the server on arrival and on response. */
  readonly receivedAt: number;
  readonly respondedAt: number;
  readonly method: string;
  /** Request URL as received (scheme, Host header, path, query). */
  readonly url: string;
  /** RFC 9449 §4.2 htu target: scheme + Host header + path, no query or fragment. */
  readonly htuTarget: string;
  readonly proof: ProofObservation | null;
  readonly authorization: AuthorizationObservation;
  /** `Mcp-Session-Id` on the request. */
  readonly sessionId: string | null;
  /** JSON-RPC messages in the body (MCP POST). */
  readonly rpc: readonly RpcMessage[];
  /** Token requests: grant type and the grant artifact presented. */
  readonly grant: { readonly type: string; readonly code: string | null; readonly refreshToken: string | null } | null;
  /** Same value for a request and its retries: server, method, path, session, body hash. */
  readonly retryKey: string;
  readonly decision: Decision;
  readonly status: number;
  /** Response headers that matter to DPoP (`DPoP-Nonce`, `WWW-Authenticate`, `Retry-After`, …). */
  readonly responseHeaders: Readonly<Record<string, string>>;
  /** The `error` code in the response (OAuth JSON body or challenge), if any. */
  readonly error: string | null;
  /** Nonce delivered with the response (`DPoP-Nonce`), if any. */
  readonly nonceDelivered: string | null;
  /** Token minted by this response, if any (id into `Trace.tokens`). */
  readonly issuedTokenId: string | null;
  /** Session id minted by this response, if any. */
  readonly issuedSessionId: string | null;
}

/** A token the authorization server issued. */
export interface IssuedToken {
  readonly id: string;
  readonly accessToken: string;
  /** `token_type` exactly as sent (RFC 6749 §5.1). */
  readonly tokenType: string;
  /** RFC 9449 §6.1 `cnf.jkt`, or null when the token is not bound. */
  readonly jkt: string | null;
  readonly refreshToken: string | null;
  /** Entry that issued it. */
  readonly seq: number;
  /** The grant it was issued for. */
  readonly grantType: string;
  /** When it expires, milliseconds since the epoch (from `expires_in`). */
  readonly expiresAt: number;
  /**
   * The grant lineage: every token minted from one authorization code and
   * the refresh tokens that followed it. Reusing a spent code or a rotated
   * refresh token revokes the whole family (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
   */
  readonly family: string;
}

/** A nonce a server handed out (RFC 9449 §8, §9). */
export interface NonceIssue {
  readonly server: ServerRole;
  readonly value: string;
  /** Entry whose response carried it. */
  readonly seq: number;
  /**
   * Issuance order at that server (0 = the first nonce it ever required).
   * RFC 9449 §8.2: "newer" means issued later, which is not arrival order:
   * a response can carry a nonce issued before the nonce of a response to a
   * request that arrived earlier (a nonce is issued when its response is
   * produced). A repeated delivery of one value keeps its generation.
   */
  readonly generation: number;
}

export interface Trace {
  /** Origins the servers listened on. */
  readonly asOrigin: string;
  readonly mcpOrigin: string;
  /** The origin cross-origin redirects point to, when the schedule has one; else null. */
  readonly elsewhereOrigin: string | null;
  readonly tokenEndpoint: string;
  readonly mcpUrl: string;
  readonly entries: readonly TraceEntry[];
  readonly tokens: readonly IssuedToken[];
  readonly nonces: readonly NonceIssue[];
  /** Requests the HTTP layer refused before the servers saw them (e.g. oversized headers). */
  readonly refused: readonly { readonly at: number; readonly server: ServerRole; readonly reason: string }[];
  /** True when the request cap was hit and the servers stopped serving. */
  readonly capped: boolean;
}

/** How the client under test ended. */
export interface ClientOutcome {
  /** Process exit code (0 for an in-process client that resolved), null when killed. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}
