/**
 * A schedule is a plain, JSON-serialisable description of how the two test
 * servers behave during one run of the client under test. It is the unit the
 * fuzzer generates, shrinks, stores in `corpus/` and replays.
 *
 * Actions are consumed in order by requests that pass every DPoP check of the
 * server (a request the server rejects on its own — bad proof, unknown token,
 * stale nonce — consumes nothing). Past the end of a list, `then` applies.
 */

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
export type NonceValue = string;

/** What the authorization server does with one accepted token request. */
export type TokenAction =
  /** 200 with a token. */
  | { readonly kind: 'ok' }
  /** 200 with a token and a new `DPoP-Nonce` (RFC 9449 §8.2). */
  | { readonly kind: 'ok-new-nonce'; readonly nonce: NonceValue }
  /** 400 `use_dpop_nonce` + `DPoP-Nonce` (RFC 9449 §8). */
  | { readonly kind: 'use-dpop-nonce'; readonly nonce: NonceValue }
  /** 400 `invalid_dpop_proof` (RFC 9449 §5). */
  | { readonly kind: 'invalid-dpop-proof' };

/** What the MCP server does with one accepted MCP request. */
export type McpAction =
  /** Hand the request to the MCP SDK server. */
  | { readonly kind: 'ok' }
  /** Hand it over and add a new `DPoP-Nonce` to the success (RFC 9449 §9, §8.2). */
  | { readonly kind: 'ok-new-nonce'; readonly nonce: NonceValue }
  /** 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` + `DPoP-Nonce` (RFC 9449 §9). */
  | { readonly kind: 'use-dpop-nonce'; readonly nonce: NonceValue }
  /** 401 `error="invalid_token"`: not a nonce problem (RFC 6750 §3.1). */
  | { readonly kind: 'invalid-token' }
  /** A transient error the client may retry (RFC 9449 §7.3). */
  | { readonly kind: 'transient'; readonly status: 429 | 503; readonly retryAfter?: number };

/**
 * What a server does once its list of actions is used up. `use-dpop-nonce`
 * challenges forever, with nonces `${noncePrefix}${n}` (n = 0, 1, …), so a
 * client that never gives up can be told apart from one that does.
 */
export type TokenThen =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid-dpop-proof' }
  | { readonly kind: 'use-dpop-nonce'; readonly noncePrefix: string };

export type McpThen =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid-token' }
  | { readonly kind: 'use-dpop-nonce'; readonly noncePrefix: string };

/** Which challenges a 401 from the MCP server carries (RFC 9110 §11.6.1, RFC 9449 §7.2). */
export type ChallengeSchemes = 'DPoP' | 'DPoP+Bearer' | 'Bearer';

export interface AuthServerSchedule {
  /** `dpop_signing_alg_values_supported` in the RFC 8414 metadata (RFC 9449 §5.1). */
  readonly algs: readonly string[];
  /** `token_type` returned with a token (RFC 6749 §5.1: case-insensitive). */
  readonly tokenType: string;
  /** Path of the token endpoint, e.g. `/token`. */
  readonly tokenPath: string;
  /** Demand this nonce from the very first token request (RFC 9449 §8). */
  readonly initialNonce: NonceValue | null;
  /** Actions for the accepted token requests, in order. */
  readonly tokenRequests: readonly TokenAction[];
  readonly then: TokenThen;
  /** Access token lifetime, `expires_in` (seconds). */
  readonly tokenLifetime: number;
  /** Issue a refresh token with every access token. */
  readonly refreshTokens: boolean;
}

export interface McpServerSchedule {
  /** Path of the MCP endpoint, e.g. `/mcp`. */
  readonly path: string;
  /** Query string on the MCP URL handed to the client (without `?`), or null. */
  readonly query: string | null;
  /** Demand this nonce from the very first authenticated request (RFC 9449 §9). */
  readonly initialNonce: NonceValue | null;
  /** Actions for accepted POST requests, in order. */
  readonly post: readonly McpAction[];
  /** Actions for accepted GET requests (the SSE stream), in order. */
  readonly get: readonly McpAction[];
  /** Actions for accepted DELETE requests (session end), in order. */
  readonly delete: readonly McpAction[];
  readonly then: McpThen;
  /** Challenges offered in `WWW-Authenticate` on every 401. */
  readonly challenge: ChallengeSchemes;
}

/** MCP methods a client may be asked to call in a plan step. */
export type PlanMethod = 'tools/list' | 'tools/call' | 'ping' | 'resources/list' | 'prompts/list';

export interface Schedule {
  readonly version: 1;
  readonly as: AuthServerSchedule;
  readonly mcp: McpServerSchedule;
  /**
   * What the client is asked to do, handed over as `MCP_CONFORMANCE_CONTEXT`:
   * steps run in order, the methods inside a step concurrently.
   */
  readonly plan: readonly (readonly PlanMethod[])[];
}
