import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwkThumbprint, privateJwkMembers, publicKeyMaterial } from '../../src/dpop/thumbprint.ts';
import { RFC9449_JKT, RFC9449_KEY } from './rfc9449-vectors.ts';

/** RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint. */
const RFC7638_KEY = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknj' +
    'hMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6q' +
    'MQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';


describe('jwkThumbprint (RFC 7638)', () => {
  it('matches the RFC 7638 §3.1 example', async () => {
    expect(await jwkThumbprint(RFC7638_KEY)).toBe(RFC7638_THUMBPRINT);
  });

  it('ignores optional members (RFC 7638 §3.2)', async () => {
    const { alg: _alg, kid: _kid, ...bare } = RFC7638_KEY;
    expect(await jwkThumbprint(bare)).toBe(RFC7638_THUMBPRINT);
    expect(await jwkThumbprint({ ...bare, use: 'sig', key_ops: ['verify'], ext: true })).toBe(RFC7638_THUMBPRINT);
  });

  it('matches the RFC 9449 example key thumbprint', async () => {
    expect(await jwkThumbprint(RFC9449_KEY)).toBe(RFC9449_JKT);
  });

  it.each(['ES256', 'ES384', 'ES512', 'RS256', 'PS384', 'EdDSA'] as const)(
    'equals jose calculateJwkThumbprint for a generated %s key',
    async (alg) => {
      const { publicKey } = await generateKeyPair(alg);
      const jwk = await exportJWK(publicKey);
      expect(await jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    },
  );

  it('accepts keys jose cannot sign with (secp256k1, Ed448)', async () => {
    for (const key of [
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey,
      generateKeyPairSync('ed448').publicKey,
    ]) {
      const jwk = key.export({ format: 'jwk' });
      expect(await jwkThumbprint(jwk)).toBe(await calculateJwkThumbprint({ ...jwk, kty: jwk.kty ?? '' }, 'sha256'));
    }
  });

  it('rejects private keys (RFC 9449 §4.2)', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    expect(jwk.d).toBeTypeOf('string');
    expect(await jwkThumbprint(jwk)).toBeNull();
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
      expect(await jwkThumbprint({ ...RFC9449_KEY, [member]: 'AQAB' })).toBeNull();
    }
  });

  it('rejects symmetric keys', async () => {
    expect(await jwkThumbprint({ kty: 'oct', k: 'c2VjcmV0' })).toBeNull();
  });

  it.each([
    ['missing y', { kty: 'EC', crv: 'P-256', x: RFC9449_KEY.x }],
    ['point not on the curve', { ...RFC9449_KEY, y: RFC9449_KEY.x }],
    ['wrong curve for the point', { ...RFC9449_KEY, crv: 'P-384' }],
    ['unknown curve', { ...RFC9449_KEY, crv: 'P-999' }],
    ['x not base64url', { ...RFC9449_KEY, x: 'l8tFrhx+34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs' }],
    ['x not a string', { ...RFC9449_KEY, x: 42 }],
    ['empty n', { kty: 'RSA', n: '', e: 'AQAB' }],
    ['huge n', { kty: 'RSA', n: 'A'.repeat(100_000), e: 'AQAB' }],
    ['short OKP key', { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }],
    ['unknown kty', { kty: 'XYZ', x: 'AAAA' }],
    ['missing kty', { x: RFC9449_KEY.x, y: RFC9449_KEY.y, crv: 'P-256' }],
  ])('returns null for a JWK with %s', async (_why, jwk) => {
    expect(await jwkThumbprint(jwk)).toBeNull();
  });

  it.each([null, undefined, 'jwk', 42, true, [], [RFC9449_KEY]])('returns null for %j', async (value) => {
    expect(await jwkThumbprint(value)).toBeNull();
  });
});

describe('publicKeyMaterial and privateJwkMembers', () => {
  it('keeps kty and the RFC 7638 required members only', () => {
    expect(publicKeyMaterial({ ...RFC9449_KEY, kid: 'k', use: 'enc', d: 'AQAB' })).toEqual(RFC9449_KEY);
    expect(publicKeyMaterial({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', alg: 'EdDSA' })).toEqual({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' });
    expect(publicKeyMaterial({ kty: 'RSA', n: 'AQAB', e: 'AQAB', alg: 'RS256' })).toEqual({ kty: 'RSA', n: 'AQAB', e: 'AQAB' });
  });

  it.each([
    ['not an object', 'jwk'],
    ['null', null],
    ['an array', [RFC9449_KEY]],
    ['kty oct', { kty: 'oct', k: 'AAAA' }],
    ['kty missing', { crv: 'P-256', x: 'AAAA', y: 'AAAA' }],
    ['kty not a string', { kty: 1, crv: 'P-256', x: 'AAAA', y: 'AAAA' }],
    ['kty from the prototype chain', { kty: 'toString' }],
    ['a member not a string', { ...RFC9449_KEY, y: 1 }],
    ['an empty member', { ...RFC9449_KEY, x: '' }],
    ['an empty curve name', { ...RFC9449_KEY, crv: '' }],
    ['a member that is not base64url', { ...RFC9449_KEY, x: 'a+b/' }],
    ['an oversized member', { kty: 'RSA', e: 'AQAB', n: 'A'.repeat(4097) }],
  ])('is null for %s', (_why, jwk) => {
    expect(publicKeyMaterial(jwk)).toBeNull();
  });

  it('accepts members up to the size limit', () => {
    expect(publicKeyMaterial({ kty: 'RSA', e: 'AQAB', n: 'A'.repeat(4096) })).not.toBeNull();
  });

  it('lists private members in a stable order', () => {
    expect(privateJwkMembers({ ...RFC9449_KEY })).toEqual([]);
    expect(privateJwkMembers({ qi: 'x', k: 'x', d: 'x', oth: [] })).toEqual(['d', 'qi', 'oth', 'k']);
  });
});
