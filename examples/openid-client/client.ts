/**
 * An MCP client whose OAuth 2.0 and DPoP (RFC 9449) are done by `openid-client`
 * v6, written the way its documentation tells an application to use it, so
 * that `dpop-fuzz check` judges openid-client's DPoP support:
 *
 * - the authorization server is found as MCP authorization prescribes: the
 *   MCP server's 401 names its protected resource metadata (RFC 9728 §5.1),
 *   which names the authorization server; openid-client discovers that
 *   (RFC 8414) and registers a client (RFC 7591) in one call,
 *   `dynamicClientRegistration`;
 * - one DPoP handle (`getDPoPHandle`) for the whole registration signs every
 *   token request (`authorizationCodeGrant`, `refreshTokenGrant`) and every
 *   MCP request (`fetchProtectedResource`, always handed the handle, as the
 *   library's `examples/dpop.ts` does); the handle keeps the
 *   servers' nonces and the library retries once by itself after a
 *   `use_dpop_nonce` challenge (`getDPoPHandle` docs). Nothing here builds a
 *   proof or reads a nonce;
 * - the MCP SDK's `StreamableHTTPClientTransport` speaks MCP and sends every
 *   HTTP request through {@link OpenIdClientAuthorization.fetch}.
 *
 * What the application adds is what openid-client leaves to it: fetching the
 * protected resource metadata, playing the browser, choosing the key's alg,
 * keeping the tokens, and renewing them on `invalid_token`.
 *
 * Contract: `runClient(serverUrl, { context, signal, log, fetch })` is the
 * fuzzer's in-process contract (`dpop-fuzz check --module …`); `main` wraps it
 * for `run.mjs` (`examples/shared/contract.ts`). Every request goes through
 * `options.fetch`.
 */
import {
  Client,
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { FetchLike } from '@modelcontextprotocol/client';
import * as oidc from 'openid-client';
import { playBrowser, REDIRECT_URL } from '../shared/browser.ts';
import { describedError, runMain } from '../shared/contract.ts';
import type { ClientOptions } from '../shared/contract.ts';
import { customFetchOf, fetchWithSignal, requestBody, runController } from '../shared/fetch.ts';
import { planFromContext, runPlan } from '../shared/plan.ts';

/** RFC 7591 §2: a public client (no secret) using the authorization code grant with refresh. */
const CLIENT_METADATA: Partial<oidc.ClientMetadata> = {
  client_name: 'dpop-fuzz openid-client example',
  redirect_uris: [REDIRECT_URL],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

/**
 * JWS algs openid-client signs DPoP proofs with under the same name (its
 * `JWSAlgorithm` list, less ML-DSA, which Node 20's WebCrypto lacks).
 */
const SIGNABLE = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'Ed25519'];

/** The key to generate (`randomDPoPKeyPair(alg)`) and the options of its DPoP handle. */
export interface KeyChoice {
  readonly alg: string;
  readonly options?: oidc.ModifyAssertionOptions;
}

/**
 * RFC 9449 §5.1: ES256 (openid-client's default) when the authorization server
 * lists it or lists nothing, else the first listed alg openid-client can sign
 * with. openid-client names Ed25519 signatures `Ed25519` (RFC 9864); for a
 * server that lists `EdDSA`, the `modifyAssertion` docs show how to put the
 * header back to `EdDSA` ("For DPoP: `getDPoPHandle(config, keyPair,
 * remapEd25519)`"). Throws when nothing listed can be signed: signing with an
 * alg the server did not list would only be refused.
 */
export function chooseKey(advertised: readonly string[] | undefined): KeyChoice {
  if (advertised === undefined || advertised.length === 0 || advertised.includes('ES256')) return { alg: 'ES256' };
  for (const alg of advertised) {
    if (SIGNABLE.includes(alg)) return { alg };
    if (alg === 'EdDSA') {
      return {
        alg: 'Ed25519',
        options: {
          [oidc.modifyAssertion]: (header) => {
            if (header.alg === 'Ed25519') header.alg = 'EdDSA';
          },
        },
      };
    }
  }
  throw new Error(`the authorization server lists no DPoP alg openid-client can sign with (${advertised.join(', ')})`);
}

/** One registration at the authorization server and the DPoP key bound to it. */
interface Registration {
  readonly config: oidc.Configuration;
  /** RFC 9449 §5, §6.1: one key for every token and refresh of this registration. */
  readonly DPoP: oidc.DPoPHandle;
  /** RFC 8707 resource indicator: the protected resource metadata's `resource` (RFC 9728 §2). */
  readonly resource: string;
  /** The scope to ask for, if the server named one. */
  readonly scope: string | undefined;
}

/** The current tokens; `token_type` as openid-client hands it (lower case: `dpop` or `bearer`). */
interface Tokens {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly refreshToken: string | undefined;
}

/**
 * The application's OAuth state for one MCP server: registration, tokens, and
 * at most one authorization or refresh in flight, which every request that
 * needs it waits for (a rotated refresh token must not be sent twice,
 * RFC 9700 §4.14.2).
 */
export class OpenIdClientAuthorization {
  private registration: Registration | undefined;
  private tokens: Tokens | undefined;
  private pending: Promise<void> | undefined;

  /**
   * @param httpFetch every HTTP request of the client, openid-client's
   *   included (its `customFetch` option); it carries the run's abort signal
   * @param log one diagnostic line
   */
  constructor(
    private readonly httpFetch: typeof fetch,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The `fetch` of the MCP transport. Before there is a token the request
   * goes out as it is; a 401 starts the authorization (MCP authorization:
   * the client learns where to authorize from the challenge). With a token,
   * the request goes through openid-client's `fetchProtectedResource`.
   */
  readonly fetch: FetchLike = async (input, init) => {
    await this.pending;
    if (this.tokens === undefined) {
      const response = await this.httpFetch(input, init);
      if (response.status !== 401) return response;
      const challenge = extractWWWAuthenticateParams(response);
      await response.body?.cancel();
      await this.oneAtATime(this.tokens === undefined, () => this.authorize(new URL(input), challenge));
    }
    return this.send(new URL(input), init);
  };

  /** Starts `task` when `start` holds and nothing is in flight; waits for whatever is in flight. */
  private oneAtATime(start: boolean, task: () => Promise<void>): Promise<void> | undefined {
    if (start && this.pending === undefined) {
      this.pending = task().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  /**
   * Sends one MCP request with the access token. After `401 invalid_token`
   * (RFC 6750 §3.1: expired or revoked) the token is renewed once and the
   * request sent again; any other challenge is openid-client's error
   * (`WWWAuthenticateChallengeError`), which fails the request.
   */
  private async send(url: URL, init: RequestInit | undefined): Promise<Response> {
    const body = requestBody(init?.body);
    for (let renewed = false; ; renewed = true) {
      const { config, DPoP } = this.current().registration;
      const { accessToken } = this.current().tokens;
      try {
        // openid-client's examples/dpop.ts: every protected resource request gets the DPoP handle,
        // whatever token_type the token response named (the example never looks at it).
        return await oidc.fetchProtectedResource(config, accessToken, url, init?.method ?? 'GET', body, new Headers(init?.headers), { DPoP });
      } catch (error) {
        if (renewed || !isInvalidToken(error)) throw error;
        await error.response.body?.cancel();
        this.log(`${url.href}: invalid_token, renewing the access token`);
        await this.oneAtATime(this.tokens?.accessToken === accessToken, () => this.renew());
      }
    }
  }

  private current(): { registration: Registration; tokens: Tokens } {
    if (this.registration === undefined || this.tokens === undefined) throw new Error('not authorized');
    return { registration: this.registration, tokens: this.tokens };
  }

  /**
   * MCP authorization from a 401 of the MCP server at `resourceUrl`: protected
   * resource metadata (RFC 9728), then discovery and registration at its
   * authorization server, then the authorization code flow.
   */
  private async authorize(resourceUrl: URL, challenge: ReturnType<typeof extractWWWAuthenticateParams>): Promise<void> {
    // openid-client has no RFC 9728 API; the MCP SDK's helper fetches the URL the
    // challenge names (RFC 9728 §5.1), or else the well-known URL (§3.1).
    const metadata = await discoverOAuthProtectedResourceMetadata(resourceUrl, { resourceMetadataUrl: challenge.resourceMetadataUrl }, this.httpFetch);
    // RFC 9728 §3.3: `resource` must be identical to the URL the request went to
    // (query included); otherwise the metadata must not be used.
    if (new URL(metadata.resource).href !== resourceUrl.href) {
      throw new Error(`protected resource metadata names resource ${metadata.resource}, not ${resourceUrl.href} (RFC 9728 §3.3)`);
    }
    const issuer = metadata.authorization_servers?.[0];
    if (issuer === undefined) throw new Error('protected resource metadata names no authorization server');

    const config = await oidc.dynamicClientRegistration(new URL(issuer), CLIENT_METADATA, oidc.None(), {
      // RFC 8414 metadata (.well-known/oauth-authorization-server), as MCP authorization servers publish it.
      algorithm: 'oauth2',
      // The fuzzer's servers speak plain HTTP on loopback; a deployed client leaves this out.
      execute: [oidc.allowInsecureRequests],
      // Kept by the returned Configuration for all its requests (DiscoveryRequestOptions docs).
      [oidc.customFetch]: customFetchOf(this.httpFetch),
    });
    const key = chooseKey(config.serverMetadata().dpop_signing_alg_values_supported);
    this.registration = {
      config,
      DPoP: oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair(key.alg), key.options),
      resource: metadata.resource,
      // MCP authorization (scope selection): the challenge's scope, else the resource's scopes_supported.
      scope: challenge.scope ?? metadata.scopes_supported?.join(' '),
    };
    this.log(`registered at ${issuer}; DPoP key ${key.alg}`);
    await this.authorizationCodeFlow(this.registration);
  }

  /**
   * The authorization code flow with PKCE as openid-client's README shows it,
   * with a DPoP-bound token request as `examples/dpop.ts` shows it.
   */
  private async authorizationCodeFlow({ config, DPoP, resource, scope }: Registration): Promise<void> {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    // RFC 6749 §10.12: state as well as PKCE; openid-client compares it on the way back.
    const state = oidc.randomState();
    const parameters: Record<string, string> = {
      redirect_uri: REDIRECT_URL,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      // RFC 8707 §2, required by MCP authorization: the token is for this resource.
      resource,
      // RFC 9449 §10: bind the code to the DPoP key (DPoPHandle.calculateThumbprint docs).
      dpop_jkt: await DPoP.calculateThumbprint(),
    };
    if (scope !== undefined) parameters['scope'] = scope;
    const callback = await playBrowser(oidc.buildAuthorizationUrl(config, parameters), this.httpFetch);
    // Checks state and iss (RFC 9207), redeems the code with a DPoP proof.
    const response = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state }, { resource }, { DPoP });
    this.tokens = { accessToken: response.access_token, tokenType: response.token_type, refreshToken: response.refresh_token };
    this.log(`token issued, token_type ${response.token_type}`);
  }

  /**
   * A new access token: the refresh token grant (RFC 6749 §6) with the same
   * DPoP key, or, when the refresh token is refused (`invalid_grant`,
   * RFC 6749 §5.2) or there is none, a new authorization.
   */
  private async renew(): Promise<void> {
    const { registration, tokens } = this.current();
    if (tokens.refreshToken !== undefined) {
      try {
        const response = await oidc.refreshTokenGrant(registration.config, tokens.refreshToken, { resource: registration.resource }, { DPoP: registration.DPoP });
        // RFC 6749 §6: a new refresh token replaces the old one; without one, the old one stays.
        this.tokens = { accessToken: response.access_token, tokenType: response.token_type, refreshToken: response.refresh_token ?? tokens.refreshToken };
        this.log(`token refreshed, token_type ${response.token_type}`);
        return;
      } catch (error) {
        if (!(error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant')) throw error;
        this.log('refresh token refused (invalid_grant), authorizing again');
      }
    }
    await this.authorizationCodeFlow(registration);
  }
}

/** RFC 6750 §3.1: a 401 whose challenge says `invalid_token`. */
function isInvalidToken(error: unknown): error is oidc.WWWAuthenticateChallengeError {
  return error instanceof oidc.WWWAuthenticateChallengeError && error.status === 401 && error.cause.some((c) => c.parameters.error === 'invalid_token');
}

/** The OAuth error code openid-client reports on one error, if any. */
function oauthErrorCode(error: unknown): string | undefined {
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) return error.error;
  if (error instanceof oidc.WWWAuthenticateChallengeError) return error.cause.find((c) => c.parameters.error !== undefined)?.parameters.error;
  return undefined;
}

/** The error with the OAuth error code (e.g. `invalid_dpop_proof`, RFC 9449 §5) in its message. */
function describeError(error: unknown): Error {
  return describedError(error, oauthErrorCode);
}

/**
 * Connects over the MCP SDK's transport with openid-client's authorization,
 * runs the plan (`examples/shared/plan.ts`) and ends the session. The
 * in-process contract of `dpop-fuzz check --module`.
 */
export async function runClient(serverUrl: string, options: ClientOptions): Promise<void> {
  // Aborted when the run's signal fires, and when the run ends, so nothing it started outlives it:
  // fetchProtectedResource takes no per-request signal, so this is also what ends the transport's SSE stream.
  const run = runController(options.signal);
  try {
    const plan = planFromContext(options.context);
    const authorization = new OpenIdClientAuthorization(fetchWithSignal(options.fetch, run.signal), options.log);
    const client = new Client({ name: 'dpop-fuzz-openid-client-example', version: '0.1.0' });
    const transport = new StreamableHTTPClientTransport(new URL(serverUrl), { fetch: authorization.fetch });
    await client.connect(transport, { signal: run.signal });
    await runPlan(client, transport, plan, { signal: run.signal, log: options.log, describe: (e) => describeError(e).message });
  } catch (error) {
    throw describeError(error);
  } finally {
    run.abort();
  }
}

/** `run.mjs <mcp-server-url>`: returns the exit code. */
export function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  return runMain(runClient, argv, env);
}
