/**
 * A second way of using `@modelcontextprotocol/client` 2.4 for DPoP, for the
 * mutation oracle of `npm run mutate:sdk`: the application manages the token
 * itself and uses the SDK's `withDpop(session, getToken)` directly, as the
 * SDK documents for that case, instead of handing an `OAuthClientProvider`
 * to the transport (client.ts). The SDK paths this reaches that client.ts
 * does not: `withDpop` given a session object rather than a function, and a
 * `fetch(url)` call without `init` (the form an application uses for a plain
 * GET, which `withDpop` must sign as GET, RFC 9449 §4.2 `htm`), and the
 * session's `thumbprint` as the authorization request's `dpop_jkt`.
 *
 * - Tokens come from the SDK's `auth()` with the example's provider (its
 *   `dpop()` session signs every token request, RFC 9449 §5). The
 *   authorization code is bound to the same key with `dpop_jkt` (RFC 9449
 *   §10), which the SDK leaves to the application.
 * - `getToken` hands out the access token only when the authorization server
 *   bound it (`token_type` DPoP in any letter case, RFC 6749 §5.1): `withDpop`
 *   always uses the DPoP scheme, and an unbound token must not go out with it
 *   (RFC 9449 §7.1). An unbound or unknown token stops the client.
 * - No re-authorization: an `invalid_token` ends the run with an error.
 */
import { auth, Client, StreamableHTTPClientTransport, withDpop } from '@modelcontextprotocol/client';
import type { ClientOptions } from '../../shared/contract.ts';
import { fetchWithSignal, runController } from '../../shared/fetch.ts';
import { planFromContext, runPlan } from '../../shared/plan.ts';
import { DemoOAuthProvider } from '../client.ts';

/** The example's provider, binding the authorization code to the session's key. */
class CodeBindingProvider extends DemoOAuthProvider {
  /** RFC 9449 §10: `dpop_jkt` is the JWK SHA-256 thumbprint (RFC 7638) of the key that will redeem the code. */
  override async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const session = await this.dpop();
    if (session !== undefined) authorizationUrl.searchParams.set('dpop_jkt', session.thumbprint);
    await super.redirectToAuthorization(authorizationUrl);
  }
}

/** Discovery, registration, authorization and the DPoP-signed code exchange, all by the SDK's `auth()`. */
async function authorize(serverUrl: URL, provider: DemoOAuthProvider, fetch: typeof globalThis.fetch): Promise<void> {
  if ((await auth(provider, { serverUrl, fetchFn: fetch })) === 'AUTHORIZED') return;
  const callback = provider.takeCallback();
  const code = callback.get('code');
  if (code === null) throw new Error(`authorization failed: ${callback.get('error') ?? 'no code in the authorization response'}`);
  const iss = callback.get('iss');
  const result = await auth(provider, { serverUrl, fetchFn: fetch, authorizationCode: code, ...(iss === null ? {} : { iss }) });
  if (result !== 'AUTHORIZED') throw new Error(`authorization did not complete (${result})`);
}

/** The in-process contract of `dpop-fuzz check --module`. */
export async function runClient(serverUrl: string, options: ClientOptions): Promise<void> {
  const run = runController(options.signal);
  const fetch = fetchWithSignal(options.fetch, run.signal);
  try {
    const plan = planFromContext(options.context);
    const url = new URL(serverUrl);
    const provider = new CodeBindingProvider(fetch);
    await authorize(url, provider, fetch);
    const tokens = provider.tokens();
    if (tokens === undefined) throw new Error('the SDK reported success but stored no tokens');
    if (tokens.token_type.toLowerCase() !== 'dpop') throw new Error(`the authorization server issued token_type ${tokens.token_type}, not a DPoP-bound token; refusing it`);
    const session = await provider.dpop();
    if (session === undefined) throw new Error('no DPoP session after authorization');
    // The session object itself, and the token as the application keeps it.
    const dpopFetch = withDpop(session, () => provider.tokens()?.access_token)(fetch);
    const client = new Client({ name: 'dpop-fuzz-sdk-v2-direct', version: '0.1.0' });
    const transport = new StreamableHTTPClientTransport(url, { fetch: dpopFetch });
    await client.connect(transport, { signal: run.signal });
    await runPlan(client, transport, plan, { signal: run.signal, log: options.log, describe: (e) => (e instanceof Error ? e.message : String(e)) });
    // A bare GET of the resource: no init at all. Its answer does not matter (the endpoint wants an
    // SSE Accept header and a session); that it is signed as a GET for this URL does.
    const probe = await dpopFetch(url);
    await probe.body?.cancel();
    options.log(`GET ${url.href} without init: ${probe.status}`);
  } finally {
    run.abort();
  }
}
