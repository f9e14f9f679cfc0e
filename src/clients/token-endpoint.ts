import { DpopClientError, QuietStop, describeOAuthError } from './errors.ts';
import { deliveredNonce } from './dpop-nonce.ts';
import type { NonceSlot } from './dpop-nonce.ts';
import type { DpopProofSigner } from './dpop-proof.ts';
import type { FaultSet } from './faults.ts';
import { isMethodPreservingRedirect, readJsonObject, redirectToFollow, stringMember } from './http.ts';
import type { NetContext } from './oauth-metadata.ts';
import type { ClientPolicy } from './policy.ts';

/** Redirects followed for one request before giving up (kept here for existing importers). */
export { MAX_REDIRECTS } from './http.ts';

/** An access token and what is needed to use and renew it. */
export interface TokenSet {
  readonly accessToken: string;
  /** `token_type` as received (RFC 6749 §5.1). */
  readonly tokenType: string;
  /** DPoP-bound (presented with the DPoP scheme and a proof), or a bearer token (RFC 6750). */
  readonly bound: boolean;
  readonly refreshToken: string | null;
  /** When it was received (ms since the epoch). */
  readonly issuedAt: number;
  /** When the access token expires (ms since the epoch, from `expires_in`); null when unknown. */
  readonly expiresAt: number | null;
}

/**
 * How a token of this `token_type` is used: as a DPoP-bound token, as a
 * bearer token, or not at all (null). RFC 6749 §5.1: the value is
 * case-insensitive; RFC 9449 §5: `DPoP` says the token is bound. A `Bearer`
 * token (the authorization server declined to bind) is refused, or used as a
 * bearer token when the policy allows and the resource does not require
 * DPoP-bound tokens (RFC 9728 §2). RFC 6749 §7.1: a token of a type the
 * client does not understand is never used.
 */
export function tokenUse(tokenType: string, policy: ClientPolicy, bindingRequired: boolean, faults: FaultSet): 'dpop' | 'bearer' | null {
  // FAULT token-type-case-sensitive: only the exact spelling counts.
  if (faults.has('token-type-case-sensitive') ? tokenType === 'DPoP' : tokenType.toLowerCase() === 'dpop') return 'dpop';
  if (tokenType.toLowerCase() !== 'bearer') {
    // FAULT accept-unknown-token-type: a token_type the client does not understand is used as if it were DPoP.
    return faults.has('accept-unknown-token-type') ? 'dpop' : null;
  }
  // FAULT dpop-scheme-for-bearer-token: where the resource takes unbound tokens, a Bearer token is used as if it were DPoP-bound.
  if (faults.has('dpop-scheme-for-bearer-token') && !bindingRequired) return 'dpop';
  // FAULT bearer-token-despite-required: a Bearer token is used even where binding is required.
  if (faults.has('bearer-token-despite-required')) return 'bearer';
  return policy.bearerTokens === 'use-unless-required' && !bindingRequired ? 'bearer' : null;
}

/** What the token endpoint needs besides its URL. */
export interface TokenEndpointOptions {
  readonly signer: DpopProofSigner;
  /** The authorization server's nonce; never the MCP server's (RFC 9449 §9), unless the policy keys nonces by origin. */
  readonly nonce: NonceSlot;
  readonly faults: FaultSet;
  readonly policy: ClientPolicy;
  /** RFC 9728 §2: whether the resource requires DPoP-bound tokens. */
  readonly bindingRequired: boolean;
  readonly net: NetContext;
}

/**
 * Token requests with DPoP proofs (RFC 9449 §5) to one token endpoint, with
 * the authorization server's nonce handling (§8, §8.2).
 */
export class TokenEndpoint {
  private readonly signer: DpopProofSigner;
  private readonly nonce: NonceSlot;
  private readonly faults: FaultSet;
  private readonly policy: ClientPolicy;
  private readonly net: NetContext;

  constructor(
    readonly url: string,
    private readonly options: TokenEndpointOptions,
  ) {
    ({ signer: this.signer, nonce: this.nonce, faults: this.faults, policy: this.policy, net: this.net } = options);
  }

  /**
   * Sends a token request (RFC 6749 §4.1.3 or §6) with a new proof per attempt.
   * Retries a `use_dpop_nonce` answer with the supplied nonce (RFC 9449 §8)
   * at most `policy.nonceRetries` times in a row, follows
   * same-origin 307/308 redirects with a proof for the new URL, and fails on
   * anything else, naming the server's `error` code.
   */
  async request(form: URLSearchParams): Promise<TokenSet> {
    const grantType = form.get('grant_type') ?? '?';
    let url = new URL(this.url);
    let nonceRetries = 0;
    let redirects = 0;
    let omitNonce = false;
    for (;;) {
      this.net.signal?.throwIfAborted();
      const nonce = omitNonce ? null : this.nonce.value;
      const proof = await this.signer.tokenRequestProof(url, nonce);
      this.net.log(`POST ${url.href} (token request, ${grantType}${nonce !== null ? `, AS nonce ${nonce}` : ''})`);
      const response = await this.net.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', dpop: proof },
        body: form.toString(),
        redirect: 'manual',
        signal: this.net.signal,
      });

      if (isMethodPreservingRedirect(response.status)) {
        this.storeNonce(response, null);
        const next = redirectToFollow(response, url, redirects, {
          refuseAll: this.policy.redirects === 'refuse',
          // FAULT follow-redirect-with-credentials: another origin gets the proof (and the grant).
          crossOrigin: this.faults.has('follow-redirect-with-credentials'),
        });
        await response.body?.cancel();
        if ('refused' in next) throw new DpopClientError(`token endpoint ${url.href} answered a ${next.refused}; not followed`);
        redirects++;
        this.net.log(`token endpoint redirected (${response.status}) to ${next.target.href}`);
        url = next.target; // RFC 9449 §4.2: the next proof's htu is the new URL; §8: the nonce stays the AS's.
        omitNonce = false;
        continue;
      }

      const body = await readJsonObject(response);
      const error = response.ok ? null : stringMember(body, 'error');
      this.storeNonce(response, error);
      if (response.ok) return this.tokenSetFrom(body, response.status);

      const description = stringMember(body, 'error_description');
      if (error === 'use_dpop_nonce') {
        if (deliveredNonce(response).kind !== 'nonce') {
          throw new DpopClientError('token endpoint answered use_dpop_nonce without a valid DPoP-Nonce header (RFC 9449 §8)', error);
        }
        // FAULT unbounded-nonce-retries: no cap on consecutive nonce retries.
        if (nonceRetries >= this.policy.nonceRetries && !this.faults.has('unbounded-nonce-retries')) {
          throw new DpopClientError(
            `token endpoint still answered use_dpop_nonce after ${nonceRetries} nonce retries; giving up (RFC 9449 §8)`,
            error,
          );
        }
        nonceRetries++;
        // FAULT ignore-as-nonce: retry without the nonce the server just supplied.
        omitNonce = this.faults.has('ignore-as-nonce');
        continue;
      }
      if (error === 'invalid_dpop_proof') {
        // FAULT swallow-invalid-proof: stop without reporting the failure.
        if (this.faults.has('swallow-invalid-proof')) throw new QuietStop('token endpoint answered invalid_dpop_proof');
        // RFC 9449 §5: not self-correcting like use_dpop_nonce, so no retry.
        throw new DpopClientError(`token endpoint rejected the DPoP proof: ${describeOAuthError(error, description)}`, error);
      }
      const what = error !== null ? describeOAuthError(error, description) : 'no OAuth error code';
      throw new DpopClientError(`token request (${grantType}) failed with status ${response.status}: ${what} (RFC 6749 §5.2)`, error);
    }
  }

  /**
   * RFC 9449 §8 and §8.2: a `DPoP-Nonce` on any token endpoint response (error
   * or success) is the nonce for the next token requests.
   */
  private storeNonce(response: Response, error: string | null): void {
    const delivered = deliveredNonce(response);
    if (delivered.kind === 'invalid') {
      this.net.log(`ignoring malformed DPoP-Nonce from the token endpoint: ${JSON.stringify(delivered.raw)} (RFC 9449 §8.1)`);
      return;
    }
    if (delivered.kind === 'none') return;
    // FAULT ignore-nonce-on-success: a nonce delivered with a 2xx is dropped.
    if (response.ok && this.faults.has('ignore-nonce-on-success')) return;
    // FAULT ignore-as-nonce: the nonce of a use_dpop_nonce challenge is dropped.
    if (error === 'use_dpop_nonce' && this.faults.has('ignore-as-nonce')) return;
    if (this.nonce.set(delivered.value)) this.net.log(`new AS nonce ${delivered.value}`);
  }

  private tokenSetFrom(body: Record<string, unknown> | null, status: number): TokenSet {
    const accessToken = stringMember(body, 'access_token');
    const tokenType = stringMember(body, 'token_type');
    if (accessToken === null || accessToken === '' || tokenType === null) {
      throw new DpopClientError(`token endpoint answered ${status} without access_token and token_type (RFC 6749 §5.1)`);
    }
    const use = tokenUse(tokenType, this.policy, this.options.bindingRequired, this.faults);
    if (use === null) {
      throw new DpopClientError(
        `token endpoint issued a token of token_type ${JSON.stringify(tokenType)}, not DPoP; the token is not used (RFC 9449 §5, RFC 6749 §7.1${this.options.bindingRequired ? ', RFC 9728 §2' : ''})`,
      );
    }
    // RFC 6749 §5.1: a number of seconds; a numeric string is read leniently.
    const rawExpiresIn = body?.['expires_in'];
    const expiresIn = typeof rawExpiresIn === 'string' && /^\d+$/.test(rawExpiresIn) ? Number(rawExpiresIn) : rawExpiresIn;
    const refreshToken = stringMember(body, 'refresh_token');
    const now = Date.now();
    return {
      accessToken,
      tokenType,
      bound: use === 'dpop',
      refreshToken: refreshToken !== '' ? refreshToken : null,
      issuedAt: now,
      expiresAt: typeof expiresIn === 'number' && Number.isFinite(expiresIn) ? now + expiresIn * 1000 : null,
    };
  }
}
