/**
 * JWK thumbprints (RFC 7638) and the public/private split of a JWK, for the
 * `jwk` header of DPoP proofs (RFC 9449 §4.2, §6.1).
 */

import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { KeyMemo } from './key-cache.ts';

/** Thumbprints by key material: a client reuses one key for a whole run. */
const THUMBPRINTS = new KeyMemo<Promise<string | null>>();

/**
 * JWK members that carry private or secret key material: RSA (RFC 7518
 * §6.3.2), EC (§6.2.2), OKP (RFC 8037 §2) and symmetric `k` (RFC 7518 §6.4.1).
 * RFC 9449 §4.2: the `jwk` header MUST NOT contain a private key.
 */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** RFC 7638 §3.2: the required public members per key type, in the order that defines the thumbprint. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'n'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

/** Upper bound for one member: a 16384-bit RSA modulus is 2731 base64url characters. */
const MAX_MEMBER_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 9449 §4.2 / §4.3 check 7: the private members present in `jwk`, in a stable order. */
export function privateJwkMembers(jwk: Record<string, unknown>): string[] {
  return PRIVATE_JWK_MEMBERS.filter((name) => Object.hasOwn(jwk, name));
}

/**
 * The key material of a public JWK alone (`kty` plus the RFC 7638 §3.2
 * required members), or null when `kty` is not RSA, EC or OKP or a required
 * member is not a plausible base64url/curve string. Metadata (`alg`, `use`,
 * `key_ops`, `kid`, …) and private members are left out.
 */
export function publicKeyMaterial(jwk: unknown): Record<string, string> | null {
  if (!isJsonObject(jwk)) return null;
  const kty = jwk['kty'];
  if (typeof kty !== 'string' || !Object.hasOwn(PUBLIC_MEMBERS, kty)) return null;
  const material: Record<string, string> = { kty };
  for (const name of PUBLIC_MEMBERS[kty] ?? []) {
    const value = jwk[name];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_MEMBER_LENGTH) return null;
    if (name !== 'crv' && !BASE64URL.test(value)) return null;
    material[name] = value;
  }
  return material;
}

/** True when node:crypto accepts `material` as a public key (curve point, lengths, …). */
function isImportablePublicKey(material: Record<string, string>): boolean {
  try {
    createPublicKey({ key: material, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}

/**
 * RFC 7638 §3 SHA-256 JWK thumbprint (base64url), as used for `jkt` in
 * RFC 9449 §6.1, computed with jose. Null for anything that is not a valid
 * public RSA, EC or OKP JWK: not an object, private members present
 * (RFC 9449 §4.2), symmetric `oct`, missing or malformed members, or key
 * material that does not form a key.
 */
export async function jwkThumbprint(jwk: unknown): Promise<string | null> {
  try {
    if (!isJsonObject(jwk) || privateJwkMembers(jwk).length > 0) return null;
    const material = publicKeyMaterial(jwk);
    if (material === null) return null;
    return await THUMBPRINTS.get(JSON.stringify(material), () =>
      isImportablePublicKey(material) ? calculateJwkThumbprint(material, 'sha256').catch(() => null) : Promise.resolve(null),
    );
  } catch {
    return null;
  }
}
