/**
 * Verifying a DPoP proof's signature with the key in its own `jwk` header
 * (RFC 9449 §4.3 check 6).
 */

import { createPublicKey, verify } from 'node:crypto';
import { compactVerify, errors, importJWK } from 'jose';

/** Outcome of a signature check: `mismatch` is a bad signature, `unverifiable` a key/alg that cannot be used. */
export type SignatureCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: 'mismatch' | 'unverifiable'; readonly detail: string };

const MISMATCH: SignatureCheck = { valid: false, reason: 'mismatch', detail: 'signature does not verify' };

function unverifiable(detail: string): SignatureCheck {
  return { valid: false, reason: 'unverifiable', detail };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Algorithms jose 6 does not implement but RFC 9449 §4.2 allows: ES256K
 * (RFC 8812 §3.2) and EdDSA over Ed448 (RFC 8037 §3.1). They are verified with
 * node:crypto so a client using them is not reported for a verifier gap.
 */
function nodeVerification(alg: string, material: Readonly<Record<string, string>>): { readonly hash: string | null; readonly dsaEncoding?: 'ieee-p1363' } | null {
  if (alg === 'ES256K') return { hash: 'sha256', dsaEncoding: 'ieee-p1363' };
  if (alg === 'EdDSA' && material['crv'] === 'Ed448') return { hash: null };
  return null;
}

function verifyWithNode(
  jws: string,
  alg: string,
  material: Readonly<Record<string, string>>,
  header: Readonly<Record<string, unknown>>,
): SignatureCheck {
  const how = nodeVerification(alg, material);
  if (how === null) return unverifiable(`alg ${alg} is not supported`);
  // RFC 7515 §4.1.11: unknown critical extensions must be rejected; none are understood here.
  if (Object.hasOwn(header, 'crit')) return unverifiable('"crit" header parameter is not supported');
  if (alg === 'ES256K' && (material['kty'] !== 'EC' || material['crv'] !== 'secp256k1')) {
    return unverifiable('ES256K requires an EC key on curve secp256k1');
  }
  if (alg === 'EdDSA' && material['kty'] !== 'OKP') return unverifiable('EdDSA requires an OKP key');
  const lastDot = jws.lastIndexOf('.');
  const signingInput = Buffer.from(jws.slice(0, lastDot), 'ascii');
  const signature = Buffer.from(jws.slice(lastDot + 1), 'base64url');
  try {
    const key = createPublicKey({ key: material, format: 'jwk' });
    const ok =
      how.dsaEncoding === undefined
        ? verify(how.hash, signingInput, key, signature)
        : verify(how.hash, signingInput, { key, dsaEncoding: how.dsaEncoding }, signature);
    return ok ? { valid: true } : MISMATCH;
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
  if (nodeVerification(alg, material) !== null) return verifyWithNode(jws, alg, material, header);
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK({ ...material }, alg);
  } catch (error) {
    return unverifiable(`key does not fit alg ${alg}: ${errorMessage(error)}`);
  }
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
    return { valid: true };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return MISMATCH;
    return unverifiable(errorMessage(error));
  }
}
