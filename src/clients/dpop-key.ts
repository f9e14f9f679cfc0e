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

/** RSA key pairs already generated in this process, by algorithm (see `runKey`). */
const RSA_KEYS = new Map<DpopAlg, Promise<DpopKey>>();

/** RSA algorithms (RFC 7518 §3.3, §3.5): their keys take a prime search to generate. */
export function isRsaAlg(alg: DpopAlg): boolean {
  return alg.startsWith('RS') || alg.startsWith('PS');
}

/**
 * The key pair a client run signs its proofs with. Generating an RSA-2048
 * key costs about 0.2 s of CPU, more than a whole run against the test
 * servers, so an RSA key is generated once per process and algorithm and
 * reused by later runs, as a client that keeps its DPoP key across sessions
 * would (RFC 9449 binds a token to a key, not a key to a session). EC and
 * OKP keys cost under a millisecond and are fresh per run.
 */
export function runKey(alg: DpopAlg): Promise<DpopKey> {
  if (!isRsaAlg(alg)) return generateDpopKey(alg);
  const kept = RSA_KEYS.get(alg);
  if (kept !== undefined) return kept;
  const generated = generateDpopKey(alg);
  RSA_KEYS.set(alg, generated);
  // A failed generation is not kept: the next run tries again.
  generated.catch(() => RSA_KEYS.delete(alg));
  return generated;
}
