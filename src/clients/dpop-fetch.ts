import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientAuth } from './client-auth.ts';
import { deliveredNonce } from './dpop-nonce.ts';
import type { NonceSlot } from './dpop-nonce.ts';
import { DpopClientError, QuietStop, describeOAuthError } from './errors.ts';
import type { FaultSet } from './faults.ts';
import { mcpRequestChoices, type McpRequestChoices } from './mcp-request-faults.ts';
import { anySignal, discardBody, isMethodPreservingRedirect, redirectToFollow, retryDelayMs, sleep } from './http.ts';
import type { NetContext } from './oauth-metadata.ts';
import type { ClientPolicy } from './policy.ts';
import type { TokenSet } from './token-endpoint.ts';
import { challengesOf, findChallenge } from './www-authenticate.ts';
import type { Challenge } from './www-authenticate.ts';

/** RFC 9449 §7.3: retries after 429/503 per request (each with a new proof). */
export const MAX_TRANSIENT_RETRIES = 2;

/**
 * The `error` of a 401: the DPoP challenge's (RFC 9449 §7.1), else the first
 * challenge that has one (e.g. a Bearer challenge, RFC 6750 §3).
 */
export function challengeError(challenges: readonly Challenge[]): { error: string; description: string | null } | null {
  const dpop = findChallenge(challenges, 'DPoP');
  const withError = dpop?.params.has('error') ? dpop : challenges.find((c) => c.params.has('error'));
  const error = withError?.params.get('error');
  if (withError === undefined || error === undefined) return null;
  return { error, description: withError.params.get('error_description') ?? null };
}

/**
 * The fetch the MCP SDK transport uses for every MCP request (POST, the GET
 * SSE stream, DELETE). It adds `Authorization: DPoP <token>` and a new proof
 * to each attempt (RFC 9449 §7), and handles what the MCP server answers:
 * nonces (§9), nonce challenges, `invalid_token`, `invalid_dpop_proof`,
 * transient errors (§7.3) and same-origin 307/308 redirects. The first 401,
 * to the request sent before there is a token, starts the OAuth flow. What a
 * broken client does differently is decided in `mcp-request-faults.ts`.
 */
export function createDpopFetch(auth: ClientAuth, faults: FaultSet, policy: ClientPolicy, net: NetContext): FetchLike {
  const choices = mcpRequestChoices(faults);
  const store = (url: URL, response: Response, error: string | null): void => storeMcpNonce(auth.mcpNonceFor(url), choices, net, response, error);

  /**
   * A same-origin 307/308 is followed by the client itself, one hop at a
   * time, so every hop goes out with its own proof (RFC 9449 §4.2: htu is
   * the URL of that very request); anything else ends the request, and so
   * does every redirect when the policy refuses them.
   */
  async function follow(response: Response, url: URL, hops: number): Promise<URL> {
    const next = redirectToFollow(response, url, hops, {
      refuseAll: policy.redirects === 'refuse',
      crossOrigin: choices.followsCrossOriginRedirects,
    });
    await discardBody(response);
    if ('refused' in next) throw new DpopClientError(`MCP server ${url.href} answered a ${next.refused}; not followed`);
    net.log(`MCP server redirected (${response.status}) to ${next.target.href}`);
    return next.target;
  }

  async function firstContact(start: URL, init: RequestInit, signal: AbortSignal | undefined): Promise<Response | null> {
    let url = start;
    let response: Response;
    for (let hops = 0; ; hops++) {
      net.log(`${init.method ?? 'GET'} ${url.href} (no token yet)`);
      response = await net.fetch(url, { ...init, redirect: 'manual', signal });
      store(url, response, null);
      if (!isMethodPreservingRedirect(response.status)) break;
      url = await follow(response, url, hops);
    }
    if (response.status !== 401) return response;
    const challenges = challengesOf(response);
    await discardBody(response);
    net.log(`MCP server answered 401: ${response.headers.get('www-authenticate') ?? '(no WWW-Authenticate)'}`);
    await auth.setUp({ challenges, url: url.href });
    return null;
  }

  async function send(url: URL, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    let nonceRetries = 0;
    let transientRetries = 0;
    let redirects = 0;
    let renewedAfterInvalidToken = false;
    // What the previous attempt was answered, when this one retries it.
    let retrying: 'use_dpop_nonce' | 'transient' | null = null;
    let previous: Attempt | null = null;

    for (;;) {
      signal?.throwIfAborted();
      let attempt: Attempt;
      if (retrying === 'transient' && !choices.newProofAfterTransient && previous !== null) {
        attempt = previous;
      } else {
        const token = await auth.currentToken();
        const headers = new Headers(init.headers);
        const presented = choices.presentedToken(token.accessToken);
        let nonce: string | null = null;
        if (!token.bound || auth.presentAsBearer) {
          // RFC 6750 §2.1: a bearer token, no proof; RFC 9449 §7.2 for a bound one after a Bearer-only challenge.
          headers.set('authorization', `Bearer ${presented}`);
        } else {
          // RFC 9449 §9: the newest nonce of the MCP server, which a challenge has just supplied.
          nonce = retrying === 'use_dpop_nonce' && !choices.nonceInChallengeRetry ? null : auth.mcpNonceFor(url).value;
          headers.set('authorization', `${choices.boundTokenScheme(renewedAfterInvalidToken)} ${presented}`);
          headers.set('dpop', await auth.signer.resourceProof(method, url, presented, nonce));
        }
        attempt = { headers, token, nonce };
      }
      previous = attempt;
      retrying = null;

      net.log(`${method} ${url.href}${describeAttempt(attempt)}`);
      const response = await net.fetch(url, { ...init, method, headers: attempt.headers, redirect: 'manual', signal });
      const challenges = response.status === 401 ? challengesOf(response) : [];
      const challenge = challengeError(challenges);
      store(url, response, challenge?.error ?? null);

      if (isMethodPreservingRedirect(response.status)) {
        // RFC 9449 §4.2: the next proof's htu is the new URL; §9: the nonce stays the MCP server's.
        url = await follow(response, url, redirects);
        redirects++;
        continue;
      }

      if (response.status === 401) {
        await discardBody(response);
        const error = challenge?.error ?? null;
        net.log(`MCP server answered 401 ${error ?? '(no error code)'}`);
        if (error === 'use_dpop_nonce') {
          // RFC 9449 §9: retry with a new proof carrying the supplied nonce.
          if (deliveredNonce(response).kind !== 'nonce') {
            throw new DpopClientError('MCP server answered use_dpop_nonce without a valid DPoP-Nonce header (RFC 9449 §9)', error);
          }
          if (nonceRetries >= policy.nonceRetries && choices.boundsNonceRetries) {
            throw new DpopClientError(
              `MCP server still answered use_dpop_nonce after ${nonceRetries} nonce retries; giving up (RFC 9449 §9)`,
              error,
            );
          }
          nonceRetries++;
          retrying = 'use_dpop_nonce';
          continue;
        }
        if (error === 'invalid_token') {
          // RFC 6750 §3.1: the token is no good; get a new one, keep the DPoP scheme.
          if (renewedAfterInvalidToken) {
            const what = describeOAuthError(error, challenge?.description);
            throw new DpopClientError(`MCP server answered invalid_token again after the token was renewed: ${what}`, error);
          }
          renewedAfterInvalidToken = true;
          nonceRetries = 0;
          await auth.renew(attempt.token, { challenges, url: url.href });
          continue;
        }
        if (error === 'invalid_dpop_proof') {
          if (!choices.reportsInvalidProof) throw new QuietStop('MCP server answered invalid_dpop_proof');
          // Not self-correcting (RFC 9449 §7.1), so never retried.
          throw new DpopClientError(`MCP server rejected the DPoP proof: ${describeOAuthError(error, challenge?.description)}`, error);
        }
        const what = error !== null ? describeOAuthError(error, challenge?.description) : 'no error code in WWW-Authenticate';
        throw new DpopClientError(`MCP server answered 401 to ${method} ${url.href}: ${what}`, error);
      }

      if (response.status === 429 || response.status === 503) {
        if (transientRetries >= MAX_TRANSIENT_RETRIES) return response;
        transientRetries++;
        nonceRetries = 0;
        const delay = retryDelayMs(response.headers.get('retry-after'));
        await discardBody(response);
        net.log(`MCP server answered ${response.status}; retrying in ${delay} ms`);
        await sleep(delay, signal);
        // RFC 9449 §7.3: the retry is a new request, with a new proof.
        retrying = 'transient';
        continue;
      }

      return response;
    }
  }

  return async (input, requestInit = {}) => {
    const url = new URL(input);
    const signal = anySignal(requestInit.signal, net.signal);
    try {
      const init = await withResendableBody(requestInit);
      if (!auth.hasToken) {
        const unauthenticated = await firstContact(url, init, signal);
        if (unauthenticated !== null) return unauthenticated;
      }
      return await send(url, init, signal);
    } catch (error) {
      auth.recordFailure(error);
      throw error;
    }
  };
}

/**
 * Retries send the body again, so a one-shot stream body is read into memory
 * first. (The MCP SDK passes a string, which is used as it is.)
 */
async function withResendableBody(init: RequestInit): Promise<RequestInit> {
  if (!(init.body instanceof ReadableStream)) return init;
  return { ...init, body: new Uint8Array(await new Response(init.body).arrayBuffer()) };
}

/**
 * RFC 9449 §9 (with §8.2): a `DPoP-Nonce` on any MCP response, success or
 * challenge, is the nonce for the following requests to the MCP server.
 */
function storeMcpNonce(slot: NonceSlot, choices: McpRequestChoices, net: NetContext, response: Response, error: string | null): void {
  const delivered = deliveredNonce(response);
  if (delivered.kind === 'invalid') {
    net.log(`ignoring malformed DPoP-Nonce from the MCP server: ${JSON.stringify(delivered.raw)} (RFC 9449 §8.1)`);
    return;
  }
  if (delivered.kind === 'none' || !choices.keepsNonce(response, error)) return;
  if (slot.set(delivered.value)) net.log(`new MCP nonce ${delivered.value}`);
}

/** One attempt of an MCP request: its headers, the token and the nonce in its proof. */
interface Attempt {
  readonly headers: Headers;
  readonly token: TokenSet;
  readonly nonce: string | null;
}

function describeAttempt(attempt: Attempt): string {
  const scheme = attempt.headers.get('authorization')?.split(' ')[0] ?? 'none';
  const proof = attempt.headers.has('dpop') ? 'proof' : 'no proof';
  return ` (${scheme}, ${proof}${attempt.nonce !== null ? `, MCP nonce ${attempt.nonce}` : ''})`;
}
