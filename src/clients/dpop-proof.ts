import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { generateDpopKey } from './dpop-key.ts';
import type { DpopKey } from './dpop-key.ts';
import type { FaultSet } from './faults.ts';

/** Which server a proof is for; nonces and (for one fault) jti counters are per server (RFC 9449 §9). */
export type ProofAudience = 'token-endpoint' | 'mcp';

/**
 * RFC 9449 §4.2: `htu` is the target URI of the request without query and
 * fragment. WHATWG URL serialisation already lowercases the scheme and host
 * and drops a default port (RFC 3986 §6.2.2–6.2.3). Userinfo is not part of
 * the target URI and is left out too.
 */
export function htuOf(url: string | URL): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** RFC 9449 §4.2: `ath` = base64url(SHA-256(ASCII(access token))), no padding. */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** RFC 9449 §4.2 / §11.1: a jti with 128 bits of randomness, so it never repeats. */
export function randomJti(): string {
  return randomBytes(16).toString('base64url');
}

/** RFC 9449 §4.2: `iat` is whole seconds since the epoch. */
function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Signs DPoP proofs (RFC 9449 §4) with the one key of the run. The fault
 * switches that change a proof live here, each next to the claim it breaks.
 */
export class DpopProofSigner {
  private readonly jtiCounters: Record<ProofAudience, number> = { 'token-endpoint': 0, mcp: 0 };

  constructor(
    readonly key: DpopKey,
    private readonly faults: FaultSet,
  ) {}

  /** A proof for a token request (RFC 9449 §5): htm POST, no `ath`. */
  async tokenRequestProof(url: string | URL, nonce: string | null): Promise<string> {
    const claims: JWTPayload = {
      jti: this.nextJti('token-endpoint'),
      htm: 'POST',
      htu: htuOf(url),
      iat: nowSeconds(),
    };
    if (nonce !== null) claims['nonce'] = nonce; // RFC 9449 §8
    // FAULT token-proof-typ-jwt: a generic JWT type instead of dpop+jwt (RFC 9449 §4.2).
    const typ = this.faults.has('token-proof-typ-jwt') ? 'JWT' : 'dpop+jwt';
    return this.sign(this.key, typ, claims);
  }

  /** A proof for a request to the MCP server (RFC 9449 §7): bound to the token by `ath`. */
  async resourceProof(method: string, url: string | URL, accessToken: string, nonce: string | null): Promise<string> {
    const claims: JWTPayload = {
      jti: this.nextJti('mcp'),
      htm: method,
      // FAULT htu-with-query: keep the query string in htu (RFC 9449 §4.2 says without).
      htu: this.faults.has('htu-with-query') ? htuWithQuery(url) : htuOf(url),
      // FAULT iat-milliseconds: Date.now() instead of seconds.
      iat: this.faults.has('iat-milliseconds') ? Date.now() : nowSeconds(),
      // FAULT ath-hex: hex digest instead of base64url.
      ath: this.faults.has('ath-hex') ? createHash('sha256').update(accessToken, 'ascii').digest('hex') : athOf(accessToken),
    };
    if (nonce !== null) claims['nonce'] = nonce; // RFC 9449 §9
    // FAULT new-key-per-request: a fresh key, not the one the token is bound to (RFC 9449 §6.1).
    const key = this.faults.has('new-key-per-request') ? await generateDpopKey(this.key.alg) : this.key;
    return this.sign(key, 'dpop+jwt', claims);
  }

  private nextJti(audience: ProofAudience): string {
    // FAULT jti-counter: "1", "2", … per server, so the two servers see the same jtis.
    if (this.faults.has('jti-counter')) return String(++this.jtiCounters[audience]);
    return randomJti();
  }

  private sign(key: DpopKey, typ: string, claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ typ, alg: key.alg, jwk: key.publicJwk }).sign(key.privateKey);
  }
}

function htuWithQuery(url: string | URL): string {
  const u = new URL(url);
  return `${htuOf(u)}${u.search}`;
}
