/**
 * Verifying a DPoP proof's signature with the key in its own `jwk` header
 * (RFC 9449 §4.3 check 6).
 */

import { createPublicKey, verify } from 'node:crypto';
import { compactVerify, errors, importJWK } from 'jose';
import { KeyMemo } from './key-cache.ts';

/** Outcome of a signature check: `mismatch` is a bad signature, `unverifiable` a key/alg that cannot be used. */
export type SignatureCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: 'mismatch' }
  | { readonly valid: false; readonly reason: 'unverifiable'; readonly detail: string };

type ImportedKey = { readonly key: Awaited<ReturnType<typeof importJWK>> } | { readonly error: string };

/** Imported keys by alg and key material: a client signs a whole run with one key. */
const IMPORTED = new KeyMemo<Promise<ImportedKey>>();

const VALID: SignatureCheck = { valid: true };
const MISMATCH: SignatureCheck = { valid: false, reason: 'mismatch' };

function unverifiable(detail: string): SignatureCheck {
  return { valid: false, reason: 'unverifiable', detail };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Algorithms jose 6 does not implement but RFC 9449 §4.2 allows: ES256K
 * (RFC 8812 §3.2) and EdDSA over Ed448 (RFC 8037 §3.1). Returns the digest
 * node:crypto needs (null for EdDSA), or undefined when jose handles `alg`.
 */
function nodeOnlyDigest(alg: string, material: Readonly<Record<string, string>>): 'sha256' | null | undefined {
  if (alg === 'ES256K') return 'sha256';
  if (alg === 'EdDSA' && material['crv'] === 'Ed448') return null;
  return undefined;
}

/** node:crypto verification for the algorithms of `nodeOnlyDigest`. */
function verifyWithNode(
  jws: string,
  alg: string,
  digest: 'sha256' | null,
  material: Readonly<Record<string, string>>,
  header: Readonly<Record<string, unknown>>,
): SignatureCheck {
  // RFC 7515 §4.1.11: unknown critical extensions must be rejected; none are understood here.
  if (Object.hasOwn(header, 'crit')) return unverifiable('"crit" header parameter is not supported');
  // RFC 8812 §3.2: ES256K is ECDSA over secp256k1 only.
  if (alg === 'ES256K' && material['crv'] !== 'secp256k1') return unverifiable('ES256K requires curve secp256k1');
  const lastDot = jws.lastIndexOf('.');
  const signingInput = Buffer.from(jws.slice(0, lastDot), 'ascii');
  const signature = Buffer.from(jws.slice(lastDot + 1), 'base64url');
  try {
    const key = createPublicKey({ key: material, format: 'jwk' });
    // RFC 7518 §3.4: ECDSA signatures are R || S (IEEE P1363); ignored for EdDSA.
    return verify(digest, signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature) ? VALID : MISMATCH;
  } catch (error) {
    return unverifiable(errorMessage(error));
  }
}

/**
 * RFC 9449 §4.3 check 6: does the compact JWS `jws` verify under `alg` with
 * the public key `material` (kty and key members only; see
 * `publicKeyMaterial`)? Uses jose `importJWK` + `compactVerify` restricted to
 * `alg`, falling back to node:crypto only for algorithms jose lacks. Never
 * throws.
 */
export async function verifyCompactJws(
  jws: string,
  alg: string,
  material: Readonly<Record<string, string>>,
  header: Readonly<Record<string, unknown>>,
): Promise<SignatureCheck> {
  const digest = nodeOnlyDigest(alg, material);
  if (digest !== undefined) return verifyWithNode(jws, alg, digest, material, header);
  const imported = await IMPORTED.get(`${alg} ${JSON.stringify(material)}`, () =>
    importJWK({ ...material }, alg).then(
      (key): ImportedKey => ({ key }),
      (error: unknown): ImportedKey => ({ error: errorMessage(error) }),
    ),
  );
  if ('error' in imported) return unverifiable(`key does not fit alg ${alg}: ${imported.error}`);
  const key = imported.key;
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
    return VALID;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return MISMATCH;
    return unverifiable(errorMessage(error));
  }
}
