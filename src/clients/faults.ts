/**
 * Deliberate faults for the broken variants of the reference client. Each one
 * switches off exactly one RFC 9449 / SEP-1932 behaviour, so a judge that
 * passes the reference client must fail the faulty one on the matching check.
 */
export const FAULTS = {
  'token-proof-typ-jwt': 'token-request proofs use typ "JWT" instead of "dpop+jwt" (RFC 9449 §4.2)',
  'bearer-scheme': 'MCP requests send "Authorization: Bearer <token>" (with a DPoP proof) instead of the DPoP scheme (RFC 9449 §7.1)',
  'iat-milliseconds': 'MCP proofs carry iat in milliseconds instead of seconds (RFC 9449 §4.2)',
  'ignore-as-nonce': 'after a token-endpoint use_dpop_nonce, the retry carries no nonce (RFC 9449 §8)',
  'ignore-rs-nonce': 'after an MCP use_dpop_nonce challenge, the retry carries no nonce (RFC 9449 §9)',
  'token-type-case-sensitive': 'only the exact token_type "DPoP" is accepted; "dpop" or "DPOP" is refused (RFC 6749 §5.1)',
  'htu-with-query': 'MCP proofs keep the query string of the request URL in htu (RFC 9449 §4.2)',
  'ath-hex': 'ath is the hex SHA-256 of the token instead of base64url (RFC 9449 §4.2)',
  'jti-counter': 'jti is a per-server counter ("1", "2", …), so jtis repeat across servers (RFC 9449 §4.2, §11.1)',
  'ignore-advertised-algs': 'always signs with ES256, whatever dpop_signing_alg_values_supported says (RFC 9449 §5.1)',
  'new-key-per-request': 'every MCP proof is signed with a new key, not the one the token is bound to (RFC 9449 §6.1)',
  'ignore-nonce-on-success': 'a DPoP-Nonce delivered on a 2xx response is ignored (RFC 9449 §8.2, §9)',
  'swallow-invalid-proof': 'on invalid_dpop_proof the client stops quietly and reports success (RFC 9449 §5)',
  'bearer-after-invalid-token': 'after a 401 invalid_token, falls back to "Authorization: Bearer" (still sending a proof) (RFC 9449 §7.2)',
  'unbounded-nonce-retries': 'no limit on consecutive use_dpop_nonce retries of one request (RFC 9449 §8)',
  'accept-unknown-token-type': 'uses a token of a token_type it does not understand (neither DPoP nor Bearer) as if it were DPoP-bound (RFC 6749 §7.1)',
  'resend-after-transient': 'after a 429/503, resends the identical request with the same DPoP proof (RFC 9449 §7.3)',
  'bearer-token-despite-required': 'presents a token the authorization server typed Bearer as a bearer token even where the resource metadata requires DPoP-bound tokens (RFC 9728 §2)',
  'dpop-scheme-for-bearer-token': 'where the resource does not require DPoP-bound tokens, presents a token the authorization server typed Bearer (unbound) with the DPoP scheme and a proof (RFC 9449 §7.1, RFC 6750)',
  'reuse-refresh-token': 'keeps refreshing with the first refresh token after the authorization server rotated it (RFC 6749 §6, RFC 9700 §4.14.2)',
  'follow-redirect-with-credentials': 'follows a 307/308 to another origin with its access token and a DPoP proof (RFC 6750 §5.3)',
  'dpop-jkt-other-key': 'sends dpop_jkt for another key than the one that signs the code exchange (RFC 9449 §10)',
  'strip-token-padding': 'strips the trailing "=" of the access token before presenting it (RFC 6750 §2.1 b64token)',
} as const;

export type FaultName = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as readonly FaultName[];

/** True when `name` is one of the known faults. */
export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULTS, name);
}

/** The faults switched on for one run; empty for the reference client. */
export class FaultSet {
  private readonly active: ReadonlySet<FaultName>;

  constructor(faults: readonly FaultName[] = []) {
    for (const fault of faults) {
      if (!isFaultName(fault)) throw new Error(`unknown fault: ${String(fault)}`);
    }
    this.active = new Set(faults);
  }

  /** Whether the broken behaviour `fault` is switched on. */
  has(fault: FaultName): boolean {
    return this.active.has(fault);
  }

  get names(): readonly FaultName[] {
    return [...this.active];
  }
}
