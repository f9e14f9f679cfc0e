import type { FaultSet } from './faults.ts';

/**
 * The choices `createDpopFetch` leaves open on MCP requests, one per fault of
 * `faults.ts` that acts there. The reference client makes each as the RFCs
 * say (`mcpRequestChoices` of an empty fault set); a broken client makes one
 * the wrong way. Keeping them here lets the reference logic be read on its
 * own, and every departure from it be seen in one place.
 */
export interface McpRequestChoices {
  /** RFC 6750 §2.1: the access token as issued (a b64token keeps its trailing "="). */
  presentedToken(accessToken: string): string;
  /** RFC 9449 §7.1: a DPoP-bound token goes with the DPoP scheme, also once it was renewed after invalid_token (§7.2). */
  boundTokenScheme(renewedAfterInvalidToken: boolean): 'DPoP' | 'Bearer';
  /** RFC 9449 §9: the retry after use_dpop_nonce carries the nonce the challenge supplied. */
  readonly nonceInChallengeRetry: boolean;
  /** RFC 9449 §8, §9: consecutive use_dpop_nonce retries of one request are bounded. */
  readonly boundsNonceRetries: boolean;
  /** RFC 9449 §7.1: invalid_dpop_proof is not self-correcting; the client fails loudly. */
  readonly reportsInvalidProof: boolean;
  /** RFC 9449 §7.3: the retry after 429/503 is a new request with a new proof. */
  readonly newProofAfterTransient: boolean;
  /** RFC 6750 §5.3: credentials never follow a redirect to another origin. */
  readonly followsCrossOriginRedirects: boolean;
  /** RFC 9449 §8.2, §9: a DPoP-Nonce from any MCP response is kept, success or challenge. */
  keepsNonce(response: { readonly ok: boolean }, error: string | null): boolean;
}

/** The choices of a client with `faults` switched on (the reference's for none). */
export function mcpRequestChoices(faults: FaultSet): McpRequestChoices {
  return {
    // FAULT strip-token-padding: the token loses its trailing "=".
    presentedToken: (accessToken) => (faults.has('strip-token-padding') ? accessToken.replace(/=+$/, '') : accessToken),
    // FAULT bearer-scheme: always Bearer. FAULT bearer-after-invalid-token: Bearer once renewed.
    boundTokenScheme: (renewed) => (faults.has('bearer-scheme') || (renewed && faults.has('bearer-after-invalid-token')) ? 'Bearer' : 'DPoP'),
    // FAULT ignore-rs-nonce: the retry carries no nonce.
    nonceInChallengeRetry: !faults.has('ignore-rs-nonce'),
    // FAULT unbounded-nonce-retries: no cap.
    boundsNonceRetries: !faults.has('unbounded-nonce-retries'),
    // FAULT swallow-invalid-proof: stop quietly, as if nothing went wrong.
    reportsInvalidProof: !faults.has('swallow-invalid-proof'),
    // FAULT resend-after-transient: the identical request again, same proof and jti.
    newProofAfterTransient: !faults.has('resend-after-transient'),
    // FAULT follow-redirect-with-credentials: another origin gets the token and a proof.
    followsCrossOriginRedirects: faults.has('follow-redirect-with-credentials'),
    // FAULT ignore-nonce-on-success: a 2xx's nonce is dropped. FAULT ignore-rs-nonce: a challenge's is.
    keepsNonce: (response, error) =>
      !(response.ok && faults.has('ignore-nonce-on-success')) && !(error === 'use_dpop_nonce' && faults.has('ignore-rs-nonce')),
  };
}
