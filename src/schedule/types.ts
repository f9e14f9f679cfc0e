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
  | { readonly kind: 'transient'; readonly status: 429 | 503; readonly retryAfter?: number }
  /**
   * A 307/308 to another origin (the world's third listener, which serves
   * nothing): the access token, proofs and nonces must not follow it
   * (RFC 6750 §5.3, RFC 9449 §7).
   */
  | { readonly kind: 'redirect-elsewhere'; readonly status: 307 | 308 };

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

/**
 * How the MCP server spells its `WWW-Authenticate` challenges. Every variant
 * is valid per RFC 9110 §11.6.1 and RFC 6750 §3, so a client that parses the
 * header properly reads the same challenge from all of them.
 */
export interface ChallengeFormat {
  /** Spelling of the DPoP scheme name (RFC 9110 §11.1: case-insensitive). */
  readonly schemeCase: 'DPoP' | 'dpop' | 'DPOP';
  /** `error` before or after the other auth-params (order is not significant). */
  readonly errorFirst: boolean;
  /** `error=use_dpop_nonce` as a token instead of a quoted-string (RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string )). */
  readonly bareError: boolean;
  /** Optional whitespace around `=` and after commas (RFC 9110 §5.6.1 OWS / §11.2 BWS). */
  readonly spaced: boolean;
  /** An unknown auth-param the client must ignore (RFC 9110 §11.2). */
  readonly extraParam: boolean;
  /** With `challenge: 'DPoP+Bearer'`: the Bearer challenge comes first. */
  readonly bearerFirst: boolean;
  /** With `challenge: 'DPoP+Bearer'`: one header field per challenge instead of one comma-joined field (RFC 9110 §5.3). */
  readonly separateHeaders: boolean;
}

/**
 * How access tokens look (RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT /
 * "-" / "." / "_" / "~" / "+" / "/" ) *"="). `opaque` tokens are
 * `${stem}${salt}${n}${"=".repeat(padding)}` (salt: 8 base64url characters
 * drawn per world, so no token repeats across runs) and use every b64token
 * character.
 */
export type AccessTokenFormat =
  | { readonly kind: 'jwt' }
  | { readonly kind: 'opaque'; readonly stem: string; readonly padding: 0 | 1 | 2 };

/**
 * A redirect to another origin (RFC 6454): the endpoint answers 307/308 with
 * a `Location` on a third listener that serves nothing (404) and records what
 * arrives. Credentials are for the origin they were issued for: a client must
 * not carry the access token, a proof or a nonce there (RFC 9449 §7, §9).
 */
export interface CrossOriginRedirect {
  readonly status: 307 | 308;
  readonly crossOrigin: true;
}

/**
 * A redirect in front of an endpoint (RFC 9110 §15.4.8, §15.4.9: method and
 * body are kept): same-origin to `<path>/moved`, which serves the endpoint,
 * or to another origin; null for none.
 */
export type Redirect = 307 | 308 | CrossOriginRedirect | null;

export interface AuthServerSchedule {
  /**
   * `dpop_signing_alg_values_supported` in the RFC 8414 metadata (RFC 9449 §5.1);
   * null: the metadata leaves the OPTIONAL member out, so the client signs with
   * its default, and neither server enforces a list.
   */
  readonly algs: readonly string[] | null;
  /** `token_type` returned with a token (RFC 6749 §5.1: case-insensitive). */
  readonly tokenType: string;
  /** Path of the token endpoint, e.g. `/token`. */
  readonly tokenPath: string;
  /** Query string on the token endpoint URL in the metadata (without `?`), or null (RFC 8414 §2 allows it; htu excludes it, RFC 9449 §4.2). */
  readonly tokenQuery: string | null;
  /** The advertised token endpoint answers with this redirect to `${tokenPath}/moved`, which serves tokens. */
  readonly tokenRedirect: Redirect;
  /** Shape of the issued access tokens. */
  readonly accessTokens: AccessTokenFormat;
  /** Demand this nonce from the very first token request (RFC 9449 §8). */
  readonly initialNonce: NonceValue | null;
  /** Actions for the accepted token requests, in order. */
  readonly tokenRequests: readonly TokenAction[];
  readonly then: TokenThen;
  /** Access token lifetime, `expires_in` (seconds). */
  readonly tokenLifetime: number;
  /** Issue a refresh token with every access token. */
  readonly refreshTokens: boolean;
  /**
   * Both servers refuse a proof signed with an algorithm outside `algs`
   * (`invalid_dpop_proof`), as RFC 9449 §5.1 lets them; otherwise they
   * accept any asymmetric algorithm and leave it to the judge.
   */
  readonly enforceAlgs: boolean;
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
  /** How the challenges are spelled. */
  readonly challengeFormat: ChallengeFormat;
  /** `dpop_bound_access_tokens_required` in the RFC 9728 resource metadata (RFC 9449 §5.2); null = absent. */
  readonly boundTokensRequired: boolean | null;
  /** The advertised MCP URL answers with this redirect to `${path}/moved` (query kept), which serves MCP. */
  readonly redirect: Redirect;
}

/** MCP methods a client may be asked to call in a plan step. */
export type PlanMethod = 'tools/list' | 'tools/call' | 'ping' | 'resources/list' | 'prompts/list';

/** Whether the two servers share one origin (RFC 6454) or listen on two. */
export type Topology = 'separate-origins' | 'same-origin';

export interface Schedule {
  readonly version: 1;
  readonly topology: Topology;
  readonly as: AuthServerSchedule;
  readonly mcp: McpServerSchedule;
  /**
   * What the client is asked to do, handed over as `MCP_CONFORMANCE_CONTEXT`:
   * steps run in order, the methods inside a step concurrently.
   */
  readonly plan: readonly (readonly PlanMethod[])[];
  /**
   * Milliseconds each server holds the response to the n-th request it
   * receives in arrival order across both servers (index = trace `seq`);
   * past the end, 0. Reorders the answers to concurrent requests.
   */
  readonly responseDelays: readonly number[];
}
