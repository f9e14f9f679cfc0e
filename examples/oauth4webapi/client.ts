/**
 * An MCP client whose OAuth 2.0 and DPoP (RFC 9449) are done by `oauth4webapi`
 * v3, written the way its documentation and examples tell an application to
 * use it, so that `dpop-fuzz check` judges oauth4webapi's DPoP support:
 *
 * - the authorization server is found as MCP authorization prescribes: the
 *   MCP server's 401 names its protected resource metadata (RFC 9728 §5.1),
 *   which oauth4webapi fetches or validates (`resourceDiscoveryRequest`,
 *   `processResourceDiscoveryResponse`, including the RFC 9728 §3.3 `resource`
 *   check); it names the authorization server, which oauth4webapi discovers
 *   (RFC 8414, `discoveryRequest`) and registers a client at (RFC 7591,
 *   `dynamicClientRegistrationRequest`);
 * - one DPoP handle (`DPoP(client, keyPair)`) for the whole registration signs
 *   every token request (`authorizationCodeGrantRequest`,
 *   `refreshTokenGrantRequest`) and every MCP request
 *   (`protectedResourceRequest`, always handed the handle, as the library's
 *   `examples/dpop.ts` does); the handle keeps the servers' nonces. oauth4webapi does not
 *   retry: as its `examples/dpop.ts` shows, the application sends the request
 *   once more when the library reports a nonce error (`isDPoPNonceError`).
 *   Nothing here builds a proof or reads a nonce;
 * - the MCP SDK's `StreamableHTTPClientTransport` speaks MCP and sends every
 *   HTTP request through {@link Oauth4webapiAuthorization.fetch}.
 *
 * What the application adds is what oauth4webapi leaves to it: the
 * authorization URL, playing the browser, choosing the key's alg, the nonce
 * retry, keeping the tokens, and renewing them on `invalid_token`.
 *
 * Contract: `runClient(serverUrl, { context, signal, log, fetch })` is the
 * fuzzer's in-process contract (`dpop-fuzz check --module …`); `main` wraps it
 * for `run.mjs` (`examples/shared/contract.ts`). Every request goes through
 * `options.fetch`.
 */
import { Client, extractWWWAuthenticateParams, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { FetchLike } from '@modelcontextprotocol/client';
import * as oauth from 'oauth4webapi';
import { playBrowser, REDIRECT_URL } from '../shared/browser.ts';
import { describedError, runMain } from '../shared/contract.ts';
import type { ClientOptions } from '../shared/contract.ts';
import { customFetchOf, fetchWithSignal, requestBody, runController } from '../shared/fetch.ts';
import type { LibraryFetchOptions } from '../shared/fetch.ts';
import { planFromContext, runPlan } from '../shared/plan.ts';

/** RFC 7591 §2: a public client (no secret) using the authorization code grant with refresh. */
const CLIENT_METADATA: Partial<oauth.OmitSymbolProperties<oauth.Client>> = {
  client_name: 'dpop-fuzz oauth4webapi example',
  redirect_uris: [REDIRECT_URL],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

/**
 * JWS algs oauth4webapi signs DPoP proofs with under the same name (its
 * `JWSAlgorithm` list, less ML-DSA, which Node 20's WebCrypto lacks).
 */
const SIGNABLE = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'Ed25519'];

/** The key to generate (`generateKeyPair(alg)`) and the options of its DPoP handle. */
export interface KeyChoice {
  readonly alg: string;
  readonly options?: oauth.ModifyAssertionOptions;
}

/**
 * RFC 9449 §5.1: ES256 when the authorization server lists it or lists
 * nothing, else the first listed alg oauth4webapi can sign with. oauth4webapi
 * names Ed25519 signatures `Ed25519` (RFC 9864); for a server that lists
 * `EdDSA`, the `modifyAssertion` docs show how to put the header back to
 * `EdDSA` ("For DPoP: `oauth.DPoP(client, keyPair, remapEd25519)`"). Throws
 * when nothing listed can be signed: signing with an alg the server did not
 * list would only be refused.
 */
export function chooseKey(advertised: readonly string[] | undefined): KeyChoice {
  if (advertised === undefined || advertised.length === 0 || advertised.includes('ES256')) return { alg: 'ES256' };
  for (const alg of advertised) {
    if (SIGNABLE.includes(alg)) return { alg };
    if (alg === 'EdDSA') {
      return {
        alg: 'Ed25519',
        options: {
          [oauth.modifyAssertion]: (header) => {
            if (header.alg === 'Ed25519') header.alg = 'EdDSA';
          },
        },
      };
    }
  }
  throw new Error(`the authorization server lists no DPoP alg oauth4webapi can sign with (${advertised.join(', ')})`);
}

/**
 * oauth4webapi's `examples/dpop.ts`: when a request is refused for want of a
 * nonce (`isDPoPNonceError`, RFC 9449 §8, §9), the DPoP handle has already
 * kept the nonce the server sent, so the request is sent once more, with a
 * new proof. `process` turns the response into the result (and rejects on an
 * error response); for a protected resource request it is the identity, the
 * request itself rejects.
 */
async function onceMoreOnNonceError<T>(request: () => Promise<Response>, process: (response: Response) => Promise<T>): Promise<T> {
  try {
    return await process(await request());
  } catch (error) {
    if (!oauth.isDPoPNonceError(error)) throw error;
    return process(await request());
  }
}

/** Options every oauth4webapi request of this client takes (`HttpRequestOptions`). */
interface HttpOptions {
  readonly [oauth.customFetch]: (url: string, options: LibraryFetchOptions) => Promise<Response>;
  readonly [oauth.allowInsecureRequests]: boolean;
}

/** One registration at the authorization server and the DPoP key bound to it. */
interface Registration {
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  /** `token_endpoint_auth_method: none`: a public client. */
  readonly clientAuth: oauth.ClientAuth;
  /** RFC 9449 §5, §6.1: one key for every token and refresh of this registration. */
  readonly DPoP: oauth.DPoPHandle;
  /** RFC 8707 resource indicator: the protected resource metadata's `resource` (RFC 9728 §2). */
  readonly resource: string;
  /** The scope to ask for, if the server named one. */
  readonly scope: string | undefined;
}

/** The current tokens; `token_type` as oauth4webapi hands it (lower case: `dpop` or `bearer`). */
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
export class Oauth4webapiAuthorization {
  private registration: Registration | undefined;
  private tokens: Tokens | undefined;
  private pending: Promise<void> | undefined;
  /** Options of every oauth4webapi request. */
  private readonly http: HttpOptions;

  /**
   * @param httpFetch every HTTP request of the client, oauth4webapi's included
   *   (its `customFetch` option); it carries the run's abort signal
   * @param log one diagnostic line
   */
  constructor(
    private readonly httpFetch: typeof fetch,
    private readonly log: (line: string) => void,
  ) {
    this.http = {
      [oauth.customFetch]: customFetchOf(httpFetch),
      // The fuzzer's servers speak plain HTTP on loopback; a deployed client leaves this out.
      [oauth.allowInsecureRequests]: true,
    };
  }

  /**
   * The `fetch` of the MCP transport. Before there is a token the request
   * goes out as it is; a 401 starts the authorization (MCP authorization:
   * the client learns where to authorize from the challenge). With a token,
   * the request goes through oauth4webapi's `protectedResourceRequest`.
   */
  readonly fetch: FetchLike = async (input, init) => {
    await this.pending;
    if (this.tokens === undefined) {
      const response = await this.httpFetch(input, init);
      if (response.status !== 401) return response;
      // oauth4webapi parses challenges only of responses to its own requests; the MCP SDK's helper reads this one.
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
   * request sent again; any other challenge is oauth4webapi's error
   * (`WWWAuthenticateChallengeError`), which fails the request.
   */
  private async send(url: URL, init: RequestInit | undefined): Promise<Response> {
    const body = requestBody(init?.body);
    const method = init?.method ?? 'GET';
    for (let renewed = false; ; renewed = true) {
      const { DPoP } = this.current().registration;
      const { accessToken } = this.current().tokens;
      try {
        return await onceMoreOnNonceError(
          () =>
            oauth.protectedResourceRequest(accessToken, method, url, new Headers(init?.headers), body, {
              // oauth4webapi's examples/dpop.ts: every protected resource request gets the DPoP handle,
              // whatever token_type the token response named (the example never looks at it).
              DPoP,
              signal: init?.signal ?? undefined,
              ...this.http,
            }),
          async (response) => response,
        );
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
   * resource metadata (RFC 9728), then discovery of and registration at its
   * authorization server, then the authorization code flow.
   */
  private async authorize(resourceUrl: URL, challenge: ReturnType<typeof extractWWWAuthenticateParams>): Promise<void> {
    // RFC 9728 §5.1: the metadata URL the challenge names, fetched plainly
    // (processResourceDiscoveryResponse docs: "or from a general fetch following
    // resource_metadata"); without one, the well-known URL (§3.1) the library builds.
    const metadataResponse =
      challenge.resourceMetadataUrl !== undefined
        ? await this.httpFetch(challenge.resourceMetadataUrl, { headers: { accept: 'application/json' } })
        : await oauth.resourceDiscoveryRequest(resourceUrl, this.http);
    // RFC 9728 §3.3: the library refuses metadata whose `resource` is not the URL the request went to.
    const metadata = await oauth.processResourceDiscoveryResponse(resourceUrl, metadataResponse);
    const issuerId = metadata.authorization_servers?.[0];
    if (issuerId === undefined) throw new Error('protected resource metadata names no authorization server');

    const issuer = new URL(issuerId);
    // RFC 8414 metadata (.well-known/oauth-authorization-server), as MCP authorization servers publish it.
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...this.http }));
    const client: oauth.Client = await oauth.processDynamicClientRegistrationResponse(await oauth.dynamicClientRegistrationRequest(as, CLIENT_METADATA, this.http));
    const key = chooseKey(as.dpop_signing_alg_values_supported);
    this.registration = {
      as,
      client,
      clientAuth: oauth.None(),
      DPoP: oauth.DPoP(client, await oauth.generateKeyPair(key.alg), key.options),
      resource: metadata.resource,
      // MCP authorization (scope selection): the challenge's scope, else the resource's scopes_supported.
      scope: challenge.scope ?? metadata.scopes_supported?.join(' '),
    };
    this.log(`registered at ${issuerId}; DPoP key ${key.alg}`);
    await this.authorizationCodeFlow(this.registration);
  }

  /** The authorization code flow with PKCE and a DPoP-bound token request, as oauth4webapi's `examples/dpop.ts` shows it. */
  private async authorizationCodeFlow({ as, client, clientAuth, DPoP, resource, scope }: Registration): Promise<void> {
    if (as.authorization_endpoint === undefined) throw new Error('the authorization server metadata has no authorization_endpoint');
    const codeVerifier = oauth.generateRandomCodeVerifier();
    // RFC 6749 §10.12: state as well as PKCE; validateAuthResponse compares it on the way back.
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint);
    authorizationUrl.searchParams.set('client_id', client.client_id);
    authorizationUrl.searchParams.set('redirect_uri', REDIRECT_URL);
    authorizationUrl.searchParams.set('response_type', 'code');
    authorizationUrl.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    authorizationUrl.searchParams.set('code_challenge_method', 'S256');
    authorizationUrl.searchParams.set('state', state);
    // RFC 8707 §2, required by MCP authorization: the token is for this resource.
    authorizationUrl.searchParams.set('resource', resource);
    // RFC 9449 §10: bind the code to the DPoP key (DPoPHandle.calculateThumbprint docs).
    authorizationUrl.searchParams.set('dpop_jkt', await DPoP.calculateThumbprint());
    if (scope !== undefined) authorizationUrl.searchParams.set('scope', scope);

    const callback = await playBrowser(authorizationUrl, this.httpFetch);
    // Checks state and iss (RFC 9207) and returns the code.
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const result = await onceMoreOnNonceError(
      () =>
        oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, REDIRECT_URL, codeVerifier, {
          DPoP,
          additionalParameters: { resource },
          ...this.http,
        }),
      (response) => oauth.processAuthorizationCodeResponse(as, client, response),
    );
    this.tokens = { accessToken: result.access_token, tokenType: result.token_type, refreshToken: result.refresh_token };
    this.log(`token issued, token_type ${result.token_type}`);
  }

  /**
   * A new access token: the refresh token grant (RFC 6749 §6) with the same
   * DPoP key, or, when the refresh token is refused (`invalid_grant`,
   * RFC 6749 §5.2) or there is none, a new authorization.
   */
  private async renew(): Promise<void> {
    const { registration, tokens } = this.current();
    const { as, client, clientAuth, DPoP, resource } = registration;
    if (tokens.refreshToken !== undefined) {
      const refreshToken = tokens.refreshToken;
      try {
        const result = await onceMoreOnNonceError(
          () => oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, { DPoP, additionalParameters: { resource }, ...this.http }),
          (response) => oauth.processRefreshTokenResponse(as, client, response),
        );
        // RFC 6749 §6: a new refresh token replaces the old one; without one, the old one stays.
        this.tokens = { accessToken: result.access_token, tokenType: result.token_type, refreshToken: result.refresh_token ?? refreshToken };
        this.log(`token refreshed, token_type ${result.token_type}`);
        return;
      } catch (error) {
        if (!(error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant')) throw error;
        this.log('refresh token refused (invalid_grant), authorizing again');
      }
    }
    await this.authorizationCodeFlow(registration);
  }
}

/** RFC 6750 §3.1: a 401 whose challenge says `invalid_token`. */
function isInvalidToken(error: unknown): error is oauth.WWWAuthenticateChallengeError {
  return error instanceof oauth.WWWAuthenticateChallengeError && error.status === 401 && error.cause.some((c) => c.parameters.error === 'invalid_token');
}

/** The OAuth error code oauth4webapi reports on one error, if any. */
function oauthErrorCode(error: unknown): string | undefined {
  if (error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError) return error.error;
  if (error instanceof oauth.WWWAuthenticateChallengeError) return error.cause.find((c) => c.parameters.error !== undefined)?.parameters.error;
  return undefined;
}

/** The error with the OAuth error code (e.g. `invalid_dpop_proof`, RFC 9449 §5) in its message. */
function describeError(error: unknown): Error {
  return describedError(error, oauthErrorCode);
}

/**
 * Connects over the MCP SDK's transport with oauth4webapi's authorization,
 * runs the plan (`examples/shared/plan.ts`) and ends the session. The
 * in-process contract of `dpop-fuzz check --module`.
 */
export async function runClient(serverUrl: string, options: ClientOptions): Promise<void> {
  // Aborted when the run's signal fires, and when the run ends, so nothing it started outlives it.
  const run = runController(options.signal);
  try {
    const plan = planFromContext(options.context);
    const authorization = new Oauth4webapiAuthorization(fetchWithSignal(options.fetch, run.signal), options.log);
    const client = new Client({ name: 'dpop-fuzz-oauth4webapi-example', version: '0.1.0' });
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
