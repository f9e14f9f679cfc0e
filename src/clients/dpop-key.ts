import { exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { DpopAlg } from './dpop-alg.ts';

/** A DPoP key pair: the private half never leaves WebCrypto (RFC 9449 §11.4). */
export interface DpopKey {
  readonly alg: DpopAlg;
  readonly privateKey: CryptoKey;
  /** The public key as sent in the proof header `jwk` (RFC 9449 §4.2). */
  readonly publicJwk: JWK;
}

// RFC 7517 / RFC 7518 §6: the members that describe a public key. Anything
// else (d, p, q, dp, dq, qi, k, key_ops, ext…) is left out of the proof header.
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/** Copies only the public members of a JWK (RFC 9449 §4.2: `jwk` MUST NOT contain a private key). */
export function publicMembers(jwk: JWK): JWK {
  const out: JWK = {};
  for (const member of PUBLIC_MEMBERS) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out;
}

/**
 * Generates a key pair for `alg` with a non-extractable private key
 * (RFC 9449 §11.4 and SEP-1932: protect the DPoP private key).
 */
export async function generateDpopKey(alg: DpopAlg): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: false });
  return { alg, privateKey, publicJwk: publicMembers(await exportJWK(publicKey)) };
}
