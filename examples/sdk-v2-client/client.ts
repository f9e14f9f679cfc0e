/**
 * An MCP client built only from the official MCP TypeScript SDK v2
 * (`@modelcontextprotocol/client`) and its own OAuth + DPoP machinery, written
 * the way an application would write it, so that `dpop-fuzz check` judges the
 * SDK's DPoP support rather than hand-written code:
 *
 * - `DemoOAuthProvider` implements the SDK's `OAuthClientProvider` with
 *   in-memory storage. Its `dpop()` returns one `DpopSession` for the life of
 *   the registration; from then on the SDK signs every token request
 *   (RFC 9449 §5), presents `token_type: DPoP` tokens with the `DPoP` scheme
 *   and a fresh proof (§7), and follows nonce challenges (§8, §9). Nothing
 *   here builds a proof.
 * - There is no browser: `redirectToAuthorization` fetches the authorization
 *   URL without following the redirect and reads the authorization response
 *   from its `Location` (RFC 6749 §4.1.2). The code is then redeemed with the
 *   SDK's `transport.finishAuth()`.
 *
 * Contract: `runClient(serverUrl, { context, signal, log, fetch })` is the
 * fuzzer's in-process contract (`dpop-fuzz check --module …`); `main` wraps it
 * as the MCP conformance client contract for `run.mjs` (`examples/shared/`):
 * the plan comes from the context's `steps`. Every request, OAuth ones
 * included, goes through `options.fetch`.
 */
import { Client, DPOP_SUPPORTED_ALGS, DpopSession, OAuthError, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type {
  DpopAlg,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { playBrowser, REDIRECT_URL } from '../shared/browser.ts';
import { describedError, runMain } from '../shared/contract.ts';
import type { ClientOptions } from '../shared/contract.ts';
import { fetchWithSignal, runController } from '../shared/fetch.ts';
import { planFromContext, runPlan } from '../shared/plan.ts';

export { planFromContext };

/**
 * RFC 9449 §5.1: ES256 when the authorization server accepts it, else the
 * first listed alg the SDK can sign with; when it lists nothing (or nothing
 * signable), undefined: the SDK's default.
 */
export function chooseAlg(advertised: readonly string[] | undefined): DpopAlg | undefined {
  if (advertised === undefined) return undefined;
  if (advertised.includes('ES256')) return 'ES256';
  for (const alg of advertised) {
    const signable = DPOP_SUPPORTED_ALGS.find((known) => known === alg);
    if (signable !== undefined) return signable;
  }
  return undefined;
}

/**
 * An `OAuthClientProvider` that keeps everything in memory and completes the
 * authorization step without a browser. One instance is one OAuth session:
 * registration (RFC 7591), PKCE verifier (RFC 7636), tokens and DPoP key.
 */
export class DemoOAuthProvider implements OAuthClientProvider {
  private client: StoredOAuthClientInformation | undefined;
  private tokenSet: StoredOAuthTokens | undefined;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  private callback: URLSearchParams | undefined;
  // RFC 6749 §10.12: an unguessable state, compared with the one that comes back.
  private readonly expectedState = crypto.randomUUID();
  // RFC 9449 §5, §6.1: one key for the whole registration, so every token and
  // refresh is bound to the key that later signs the resource requests.
  private session: Promise<DpopSession> | undefined;

  /** `fetch`: how the user agent reaches the authorization endpoint. */
  constructor(private readonly fetch: typeof globalThis.fetch) {}

  get redirectUrl(): string {
    return REDIRECT_URL;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'dpop-fuzz sdk-v2 example',
      redirect_uris: [REDIRECT_URL],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return this.expectedState;
  }

  /**
   * The SDK asks for the session on every request and before every token
   * request; always hand back the same one. It is created once the
   * authorization server metadata is known, to sign with an alg the server
   * lists in `dpop_signing_alg_values_supported` (RFC 9449 §5.1): the SDK
   * itself always signs with the alg the session was created with (ES256 by
   * default). Before discovery there is no token, so no DPoP is needed yet;
   * the SDK saves the discovery state before its first token request.
   */
  dpop(): Promise<DpopSession> | undefined {
    if (this.session === undefined) {
      const metadata = this.discovery?.authorizationServerMetadata;
      if (metadata === undefined) return undefined;
      // The SDK's OpenID-provider metadata type lacks the field, so read it through `in`.
      const advertised = 'dpop_signing_alg_values_supported' in metadata ? metadata.dpop_signing_alg_values_supported : undefined;
      this.session = DpopSession.create({ alg: chooseAlg(advertised) });
    }
    return this.session;
  }

  clientInformation(): StoredOAuthClientInformation | undefined {
    return this.client;
  }

  saveClientInformation(info: StoredOAuthClientInformation): void {
    this.client = info;
  }

  // Kept as the SDK hands them over. The SDK presents a token whose token_type
  // is DPoP (any letter case) with the DPoP scheme and a proof, and any other
  // token as Bearer, even a token_type it does not know (RFC 6749 §7.1 says
  // such a token must not be used): the token-type-unknown preset shows it.
  tokens(): StoredOAuthTokens | undefined {
    return this.tokenSet;
  }

  saveTokens(tokens: StoredOAuthTokens): void {
    this.tokenSet = tokens;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (this.verifier === undefined) throw new Error('no PKCE code verifier saved');
    return this.verifier;
  }

  // The SDK checks on the callback leg that the code goes back to the
  // authorization server that was discovered before the redirect.
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') this.client = undefined;
    if (scope === 'all' || scope === 'tokens') this.tokenSet = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  /**
   * Plays the user agent ({@link playBrowser}) and keeps the authorization
   * response (RFC 6749 §4.1.2) for {@link takeCallback}.
   */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const params = (await playBrowser(authorizationUrl, this.fetch)).searchParams;
    if (params.get('state') !== this.expectedState) throw new Error('authorization response state does not match');
    this.callback = params;
  }

  /** The authorization response read by the last {@link redirectToAuthorization}, once. */
  takeCallback(): URLSearchParams {
    const params = this.callback;
    if (params === undefined) throw new Error('the SDK asked for authorization but no authorization response was read');
    this.callback = undefined;
    return params;
  }
}

/**
 * The error with the OAuth error code the SDK reported (e.g.
 * `invalid_dpop_proof`, RFC 9449 §5) in its message, so a failure says which
 * rule the server applied.
 */
function describeError(error: unknown): Error {
  return describedError(error, (e) => (e instanceof OAuthError ? e.code : undefined));
}

interface Connection {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
}

/**
 * Connects with the SDK's own authorization flow: the first connect meets the
 * 401, the SDK discovers (RFC 9728, RFC 8414), registers and calls
 * `redirectToAuthorization`, then rejects with `UnauthorizedError`;
 * `finishAuth` redeems the code with a DPoP proof, and a new transport
 * connects with the bound token.
 */
async function connect(serverUrl: URL, provider: DemoOAuthProvider, fetch: typeof globalThis.fetch, signal: AbortSignal): Promise<Connection> {
  const open = (): Connection => ({
    client: new Client({ name: 'dpop-fuzz-sdk-v2-example', version: '0.1.0' }),
    transport: new StreamableHTTPClientTransport(serverUrl, { authProvider: provider, fetch }),
  });
  const first = open();
  try {
    await first.client.connect(first.transport, { signal });
    return first;
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await first.transport.finishAuth(provider.takeCallback());
    await first.client.close();
    const second = open();
    await second.client.connect(second.transport, { signal });
    return second;
  }
}

/**
 * Connects, runs the plan (`examples/shared/plan.ts`) and ends the session.
 * The in-process contract of `dpop-fuzz check --module`.
 */
export async function runClient(serverUrl: string, options: ClientOptions): Promise<void> {
  // Aborted when the run's signal fires, and when the run ends, so nothing it started outlives it.
  const run = runController(options.signal);
  const fetch = fetchWithSignal(options.fetch, run.signal);
  try {
    const plan = planFromContext(options.context);
    const provider = new DemoOAuthProvider(fetch);
    const { client, transport } = await connect(new URL(serverUrl), provider, fetch, run.signal);
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
