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
 * Contract (the MCP conformance client contract): the MCP server URL is the
 * last argument, `MCP_CONFORMANCE_CONTEXT` may hold `{"steps": [[method, …], …]}`
 * (steps in order, the methods of one step concurrently). Exit 0 on success,
 * 1 with one `error: …` line on stderr otherwise, 2 on a usage error.
 */
import {
  Client,
  DPOP_SUPPORTED_ALGS,
  DpopSession,
  OAuthError,
  ProtocolError,
  ProtocolErrorCode,
  SdkHttpError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import type {
  DpopAlg,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';

/** Nothing listens here: the authorization response is read from the `Location` header. */
const REDIRECT_URL = 'http://127.0.0.1:1/callback';

/** The methods a plan may hold (the contract's list). */
const PLAN_METHODS = ['tools/list', 'tools/call', 'ping', 'resources/list', 'prompts/list'] as const;
type PlanMethod = (typeof PLAN_METHODS)[number];
type Plan = PlanMethod[][];

const DEFAULT_PLAN: Plan = [['tools/list'], ['tools/call']];

/**
 * RFC 9449 §5.1: ES256 when the authorization server accepts it (or lists
 * nothing), else the first listed alg the SDK can sign with.
 */
export function chooseAlg(advertised: readonly string[] | undefined): DpopAlg {
  if (advertised === undefined || advertised.includes('ES256')) return 'ES256';
  for (const alg of advertised) {
    const signable = DPOP_SUPPORTED_ALGS.find((known) => known === alg);
    if (signable !== undefined) return signable;
  }
  return 'ES256';
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
   * Plays the user agent: one GET of the authorization URL, redirect not
   * followed, and the authorization response (RFC 6749 §4.1.2) kept from the
   * `Location` for {@link takeCallback}.
   */
  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || location === null) {
      throw new Error(`authorization endpoint answered ${response.status} without a redirect`);
    }
    const params = new URL(location, authorizationUrl).searchParams;
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
 * Reads the plan from `MCP_CONFORMANCE_CONTEXT`: `steps` is an array of arrays
 * of methods. No context, or one without `steps`, gives the default plan.
 */
export function planFromContext(text: string | undefined): Plan {
  if (text === undefined || text === '') return DEFAULT_PLAN;
  const context: unknown = JSON.parse(text);
  const steps: unknown = typeof context === 'object' && context !== null ? (context as { steps?: unknown }).steps : undefined;
  if (steps === undefined) return DEFAULT_PLAN;
  if (!Array.isArray(steps) || !steps.every((step): step is unknown[] => Array.isArray(step))) {
    throw new Error('MCP_CONFORMANCE_CONTEXT steps is not an array of arrays');
  }
  return steps.map((step) =>
    step.map((method) => {
      const known = PLAN_METHODS.find((m) => m === method);
      if (known === undefined) throw new Error(`unknown plan method ${JSON.stringify(method)}`);
      return known;
    }),
  );
}

/** Sends one plan method and waits for its answer. */
async function callMethod(client: Client, method: PlanMethod): Promise<void> {
  switch (method) {
    case 'tools/list':
      await client.listTools();
      return;
    case 'tools/call': {
      const result = await client.callTool({ name: 'echo', arguments: { message: 'hello' } });
      if (result.isError === true) throw new Error('tool echo reported an error');
      return;
    }
    case 'ping':
      await client.ping();
      return;
    case 'resources/list':
      await client.listResources();
      return;
    case 'prompts/list':
      await client.listPrompts();
      return;
  }
}

/** 429 and 503 mean "try again later" (RFC 6585 §4, RFC 9110 §15.6.4). */
function isTransient(error: unknown): boolean {
  return error instanceof SdkHttpError && (error.status === 429 || error.status === 503);
}

/**
 * Runs one plan method. The SDK does not retry a 429/503, so the application
 * does, once; the SDK signs the new attempt with a new proof (RFC 9449 §7.3).
 * A server without resources or prompts answering -32601 still answered.
 */
async function runMethod(client: Client, method: PlanMethod): Promise<void> {
  try {
    try {
      await callMethod(client, method);
    } catch (error) {
      if (!isTransient(error)) throw error;
      // The SDK's error does not carry Retry-After; wait a moment instead.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await callMethod(client, method);
    }
  } catch (error) {
    const optional = method === 'resources/list' || method === 'prompts/list';
    if (optional && error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound) return;
    throw new Error(`${method} failed: ${describeError(error)}`, { cause: error });
  }
}

/**
 * The error's message, prefixed with the OAuth error code when the SDK
 * reported one (e.g. `invalid_dpop_proof`, RFC 9449 §5) and the message does
 * not already name it, so a failure says which rule the server applied.
 */
function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof OAuthError && !message.includes(e.code)) return `${e.code}: ${message}`;
  }
  return message;
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
async function connect(serverUrl: URL, provider: DemoOAuthProvider): Promise<Connection> {
  const open = (): Connection => ({
    client: new Client({ name: 'dpop-fuzz-sdk-v2-example', version: '0.1.0' }),
    transport: new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }),
  });
  const first = open();
  try {
    await first.client.connect(first.transport);
    return first;
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    await first.transport.finishAuth(provider.takeCallback());
    await first.client.close();
    const second = open();
    await second.client.connect(second.transport);
    return second;
  }
}

/** Connects, runs the plan step by step (methods of a step concurrently), ends the session. */
export async function runClient(serverUrl: string, plan: Plan): Promise<void> {
  const provider = new DemoOAuthProvider();
  const { client, transport } = await connect(new URL(serverUrl), provider);
  try {
    for (const step of plan) await Promise.all(step.map((method) => runMethod(client, method)));
    // Ends the MCP session (HTTP DELETE with Mcp-Session-Id); 405 is accepted by the SDK.
    await transport.terminateSession();
  } finally {
    await client.close();
  }
}

/** `run.mjs <mcp-server-url>`: returns the exit code. */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const serverUrl = argv.at(-1);
  if (serverUrl === undefined || !URL.canParse(serverUrl)) {
    process.stderr.write('usage: run.mjs <mcp-server-url>\n');
    return 2;
  }
  try {
    await runClient(serverUrl, planFromContext(env['MCP_CONFORMANCE_CONTEXT']));
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${describeError(error).replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}
