/**
 * Server-side inspection of the `DPoP` request header (RFC 9449 §4): decode
 * the proof, verify its signature with its own key and list every structural
 * problem. Claim values (htm, htu, iat, ath, nonce) are judged elsewhere
 * (`claims.ts`), because the servers and the judges apply them differently.
 *
 * Input comes from the client under test and may be hostile: nothing here
 * throws, oversized values are refused before any parsing, and problems are
 * reported as stable strings of the form `"<code>: <detail>"`.
 */

import type { ProofClaims, ProofHeader, ProofObservation } from '../trace/types.ts';
import { verifyCompactJws } from './signature.ts';
import { isJsonObject, jwkThumbprint, privateJwkMembers, publicKeyMaterial } from './thumbprint.ts';
import { showValue } from './show-value.ts';

/**
 * Longest `DPoP` value parsed. A proof is a few hundred characters (about
 * 1.5 KB with an RSA-4096 key); anything longer is refused unparsed.
 */
export const MAX_PROOF_LENGTH = 8192;

/** RFC 9449 §4.2: the `typ` every proof must carry. */
export const DPOP_TYP = 'dpop+jwt';

/**
 * RFC 9449 §4.2 / §4.3 check 5: registered asymmetric JWS signature
 * algorithms (RFC 7518 §3, RFC 8812 §3.2 ES256K, RFC 8037 EdDSA, and the
 * fully-specified Ed25519 of RFC 9864).
 */
export const ASYMMETRIC_ALGS: ReadonlySet<string> = new Set([
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'ES256K',
  'EdDSA', 'Ed25519',
]);

/** Compact JWS (RFC 7515 §7.1): three base64url parts, a non-empty protected header. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

const show = (value: unknown): string => showValue(value, { max: 64, bare: true });

/** base64url (RFC 7515 §2) → UTF-8 JSON value; undefined when any step fails. */
function decodeJsonPart(part: string): unknown {
  // A base64url string of length 4n+1 encodes no whole byte sequence.
  if (part.length % 4 === 1) return undefined;
  try {
    return JSON.parse(utf8.decode(Buffer.from(part, 'base64url'))) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * RFC 9449 §4.2 / §11.5, §4.3 check 4. RFC 7515 §4.1.9 makes `typ` a media
 * type (case-insensitive, `application/` optional), so `application/dpop+jwt`
 * or `DPoP+JWT` name the same type: legal, and accepted, but a note, since
 * servers that compare bytes refuse them.
 */
function typFindings(header: ProofHeader): { problems: string[]; notes: string[] } {
  if (!Object.hasOwn(header, 'typ')) return { problems: [`typ: missing, expected ${DPOP_TYP}`], notes: [] };
  const typ = header.typ;
  if (typ === DPOP_TYP) return { problems: [], notes: [] };
  if (typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === DPOP_TYP) {
    return { problems: [], notes: [`typ ${show(typ)} is ${DPOP_TYP} per RFC 7515 §4.1.9, but servers that compare bytes refuse it; send exactly ${DPOP_TYP}`] };
  }
  return { problems: [`typ: expected ${DPOP_TYP}, got ${show(typ)}`], notes: [] };
}

/** RFC 9449 §4.2 / §11.6, §4.3 check 5: null when `alg` is acceptable. */
function algProblem(header: ProofHeader): string | null {
  if (!Object.hasOwn(header, 'alg')) return 'alg: missing';
  const alg = header.alg;
  if (typeof alg !== 'string') return `alg: not a string (${show(alg)})`;
  if (alg === 'none') return 'alg: none is not allowed';
  if (alg.startsWith('HS')) return `alg: symmetric (MAC) algorithm ${show(alg)} is not allowed`;
  if (!ASYMMETRIC_ALGS.has(alg)) return `alg: ${show(alg)} is not an accepted asymmetric JWS algorithm`;
  return null;
}

interface JwkFindings {
  readonly problems: readonly string[];
  /** Public key material to verify with; null when there is none usable. */
  readonly material: Record<string, string> | null;
  readonly jkt: string | null;
}

/** RFC 9449 §4.2, §4.3 check 7: the `jwk` header. */
async function inspectJwk(header: ProofHeader): Promise<JwkFindings> {
  if (!Object.hasOwn(header, 'jwk')) return { problems: ['jwk: missing'], material: null, jkt: null };
  const jwk = header.jwk;
  if (!isJsonObject(jwk)) return { problems: [`jwk: not a JSON object (${show(jwk)})`], material: null, jkt: null };
  const problems: string[] = [];
  const privateMembers = privateJwkMembers(jwk);
  if (privateMembers.length > 0) problems.push(`jwk: contains private key members ${privateMembers.join(', ')}`);
  if (jwk['kty'] === 'oct') problems.push('jwk: kty oct (symmetric key) is not allowed');
  // Checks 6 and 7 are independent: the signature is still checked against
  // the public part of a key that also (wrongly) carries private members,
  // but such a key gets no jkt, since it is not a public JWK.
  const material = publicKeyMaterial(jwk);
  const usable = material === null ? null : await jwkThumbprint(material);
  if (usable === null && problems.length === 0) problems.push(`jwk: not a valid public key (kty ${show(jwk['kty'])})`);
  const jkt = privateMembers.length > 0 ? null : usable;
  return { problems, material: usable === null ? null : material, jkt };
}

/** Build an observation of a value that was not parsed past the point of failure. */
function unparsed(count: number, raw: string, problems: readonly string[]): ProofObservation {
  return { count, raw, header: null, claims: null, signatureValid: false, jkt: null, problems };
}

async function inspectValue(count: number, value: string, problems: string[]): Promise<ProofObservation> {
  const raw = value.slice(0, MAX_PROOF_LENGTH);
  if (value.length > MAX_PROOF_LENGTH) {
    return unparsed(count, raw, [...problems, `length: ${value.length} characters, limit ${MAX_PROOF_LENGTH}`]);
  }
  // RFC 9449 §4.3 check 2: a single well-formed JWT, i.e. a compact JWS.
  if (!COMPACT_JWS.test(value)) {
    return unparsed(count, raw, [...problems, 'jws: not a compact JWS (expected three base64url parts)']);
  }
  const [headerPart = '', payloadPart = ''] = value.split('.');
  const headerValue = decodeJsonPart(headerPart);
  if (!isJsonObject(headerValue)) {
    return unparsed(count, raw, [...problems, 'header: not a base64url-encoded JSON object']);
  }
  const header: ProofHeader = headerValue;

  const typ = typFindings(header);
  problems.push(...typ.problems);
  const badAlg = algProblem(header);
  if (badAlg !== null) problems.push(badAlg);
  const jwk = await inspectJwk(header);
  problems.push(...jwk.problems);

  let signatureValid = false;
  const alg = header.alg;
  if (badAlg === null && typeof alg === 'string' && jwk.material !== null) {
    const check = await verifyCompactJws(value, alg, jwk.material, header);
    signatureValid = check.valid;
    if (!check.valid) {
      problems.push(
        check.reason === 'mismatch'
          ? 'signature: does not verify with the embedded jwk'
          : `signature: cannot be verified (${check.detail})`,
      );
    }
  }

  // RFC 7519 §7.2 step 10: the claims set must be a JSON object.
  const payloadValue = decodeJsonPart(payloadPart);
  const claims: ProofClaims | null = isJsonObject(payloadValue) ? payloadValue : null;
  if (claims === null) problems.push('claims: payload is not a JSON object');

  return { count, raw, header, claims, signatureValid, jkt: jwk.jkt, problems, ...(typ.notes.length > 0 ? { notes: typ.notes } : {}) };
}

/**
 * RFC 9449 §4.1–4.3: inspect the `DPoP` header field values of one request
 * (one entry per field). Null when there is none. Checks 1 (one field only),
 * 2 (well-formed JWT), 4 (`typ`), 5 (`alg`), 6 (signature with the embedded
 * `jwk`) and 7 (no private key) are recorded in `problems`; with several
 * fields the first is still decoded. `jkt` is the RFC 7638 thumbprint of the
 * embedded key when it is a valid public key. Never throws.
 */
export async function inspectProof(values: readonly string[]): Promise<ProofObservation | null> {
  if (!Array.isArray(values) || values.length === 0) return null;
  const count = values.length;
  const problems: string[] = [];
  if (count > 1) problems.push(`count: ${count} DPoP header fields, exactly one allowed`);
  const first: unknown = values[0];
  if (typeof first !== 'string') {
    return unparsed(count, '', [...problems, 'jws: not a compact JWS (expected three base64url parts)']);
  }
  try {
    return await inspectValue(count, first, problems);
  } catch (error) {
    // Defence in depth: a bug or an unforeseen input is a finding, not a crash.
    const detail = error instanceof Error ? error.message : String(error);
    return unparsed(count, first.slice(0, MAX_PROOF_LENGTH), [...problems, `internal: inspection failed (${detail})`]);
  }
}
