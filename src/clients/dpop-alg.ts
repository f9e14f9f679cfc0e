/**
 * Choice of the DPoP signing algorithm. RFC 9449 §5.1: the authorization
 * server lists the JWS algorithms it accepts for proofs in
 * `dpop_signing_alg_values_supported`; a client picks one it supports.
 */

/**
 * The algorithms this client can sign proofs with, most preferred first:
 * small, fast keys before RSA. All are asymmetric, as RFC 9449 §4.2 requires.
 */
export const DPOP_ALG_PREFERENCE = [
  'ES256',
  'EdDSA',
  'ES384',
  'PS256',
  'RS256',
  'ES512',
  'PS384',
  'PS512',
  'RS384',
  'RS512',
] as const;

export type DpopAlg = (typeof DPOP_ALG_PREFERENCE)[number];

/** Used when the server does not advertise its algorithms: the one every DPoP server is expected to accept. */
export const DEFAULT_DPOP_ALG: DpopAlg = 'ES256';

/**
 * Picks the first algorithm of {@link DPOP_ALG_PREFERENCE} that the server
 * advertises (RFC 9449 §5.1). `advertised` is the metadata value as received:
 * absent (`undefined`) means ES256; anything that is not an array of strings
 * is treated as absent. Returns null when no advertised algorithm is supported.
 * JWS `alg` values are case-sensitive (RFC 7515 §4.1.1), so they are compared
 * exactly. `supported` narrows what this client signs with (most preferred
 * first), e.g. `['ES256']` for a client that has only ES256 keys.
 */
export function selectDpopAlg(advertised: unknown, supported: readonly DpopAlg[] = DPOP_ALG_PREFERENCE): DpopAlg | null {
  if (!Array.isArray(advertised) || !advertised.every((a): a is string => typeof a === 'string')) {
    return supported.includes(DEFAULT_DPOP_ALG) ? DEFAULT_DPOP_ALG : null;
  }
  const offered = new Set<string>(advertised);
  return supported.find((alg) => offered.has(alg)) ?? null;
}
