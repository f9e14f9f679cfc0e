import { constants, createHmac, createSecretKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { athProblem } from '../../src/dpop/claims.ts';
import { inspectProof, MAX_PROOF_LENGTH } from '../../src/dpop/proof.ts';
import { RFC9449_JKT, RFC9449_KEY } from './rfc9449-vectors.ts';

// ---------------------------------------------------------------------------
// Published examples from RFC 9449 (wrapped as in the RFC, joined here).
// ---------------------------------------------------------------------------

/** The protected header shared by all RFC 9449 example proofs. */
const RFC_HEADER_PART =
  'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik' +
  'VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR' +
  'nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE' +
  'QSIsImNydiI6IlAtMjU2In19';

/** RFC 9449 §4.1, Figure 3: token request proof. */
const RFC_TOKEN_PROOF =
  `${RFC_HEADER_PART}.` +
  'eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj' +
  'oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia' +
  'WF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg' +
  '4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg';

/** RFC 9449 §5, Figure 7: refresh token request proof. */
const RFC_REFRESH_PROOF =
  `${RFC_HEADER_PART}.` +
  'eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIj' +
  'oiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwia' +
  'WF0IjoxNTYyMjY1Mjk2fQ.pAqut2IRDm_De6PR93SYmGBPXpwrAk90e8cP2hjiaG5Qs' +
  'GSuKDYW7_X620BxqhvYC8ynrrvZLTk41mSRroapUA';

/** RFC 9449 §7.1, Figure 12: protected resource request proof with `ath`. */
const RFC_RESOURCE_PROOF =
  `${RFC_HEADER_PART}.` +
  'eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIj' +
  'oiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0Z' +
  'WRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNF' +
  'c05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71E' +
  'OptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA';

const RFC_ACCESS_TOKEN = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';

const RFC_JWK = RFC9449_KEY;
const RFC_JKT = RFC9449_JKT;

// ---------------------------------------------------------------------------
// Helpers: proofs with arbitrary (also wrong) headers, signed with node:crypto
// so that the signer does not share code with the verifier under test.
// ---------------------------------------------------------------------------

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

const CLAIMS = { jti: 'Qm9vIGJvbyBpcyBhIGdob3N0', htm: 'POST', htu: 'https://as.example.com/token', iat: 1_700_000_000 };

type NodeAlg = 'ES256' | 'ES384' | 'ES256K' | 'RS256' | 'PS256' | 'EdDSA' | 'HS256';

function nodeSignature(alg: NodeAlg, key: KeyObject, input: string): string {
  const data = Buffer.from(input, 'ascii');
  switch (alg) {
    case 'ES256':
    case 'ES256K':
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'ES384':
      return sign('sha384', data, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    case 'RS256':
      return sign('sha256', data, key).toString('base64url');
    case 'PS256':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64url');
    case 'EdDSA':
      return sign(null, data, key).toString('base64url');
    case 'HS256':
      return createHmac('sha256', key).update(data).digest('base64url');
  }
}

/** header.payload.signature with `header` and `payload` as given (objects are JSON-encoded). */
function signed(alg: NodeAlg, key: KeyObject, header: unknown, payload: unknown = CLAIMS): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${nodeSignature(alg, key, input)}`;
}

function ecKeys(namedCurve = 'P-256'): { privateKey: KeyObject; jwk: JWK } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  return { privateKey, jwk: publicKey.export({ format: 'jwk' }) as JWK };
}

const P256 = ecKeys();
const dpopHeader = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  typ: 'dpop+jwt',
  alg: 'ES256',
  jwk: P256.jwk,
  ...extra,
});
const goodProof = (): string => signed('ES256', P256.privateKey, dpopHeader());

async function observe(value: string): Promise<NonNullable<Awaited<ReturnType<typeof inspectProof>>>> {
  const observation = await inspectProof([value]);
  if (observation === null) throw new Error('expected an observation');
  return observation;
}

// ---------------------------------------------------------------------------

describe('inspectProof: RFC 9449 examples', () => {
  it('§4.1 token request proof verifies with its embedded jwk', async () => {
    const o = await observe(RFC_TOKEN_PROOF);
    expect(o.problems).toEqual([]);
    expect(o.signatureValid).toBe(true);
    expect(o.jkt).toBe(RFC_JKT);
    expect(o.count).toBe(1);
    expect(o.raw).toBe(RFC_TOKEN_PROOF);
    expect(o.header).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: RFC_JWK });
    expect(o.claims).toEqual({
      jti: '-BwC3ESc6acc2lTc',
      htm: 'POST',
      htu: 'https://server.example.com/token',
      iat: 1562262616,
    });
  });

  it('§5 refresh request proof verifies', async () => {
    const o = await observe(RFC_REFRESH_PROOF);
    expect(o.problems).toEqual([]);
    expect(o.signatureValid).toBe(true);
    expect(o.jkt).toBe(RFC_JKT);
    expect(o.claims?.iat).toBe(1562265296);
  });

  it('§7.1 resource request proof verifies and carries the ath of the §7.1 token', async () => {
    const o = await observe(RFC_RESOURCE_PROOF);
    expect(o.problems).toEqual([]);
    expect(o.signatureValid).toBe(true);
    expect(o.claims?.htm).toBe('GET');
    expect(athProblem(o.claims ?? {}, RFC_ACCESS_TOKEN)).toBeNull();
  });

  it('a changed claim breaks the §4.1 signature', async () => {
    const [header, , signature] = RFC_TOKEN_PROOF.split('.');
    const forged = `${header}.${b64({ jti: '-BwC3ESc6acc2lTc', htm: 'GET', htu: 'https://server.example.com/token', iat: 1562262616 })}.${signature}`;
    const o = await observe(forged);
    expect(o.problems).toEqual(['signature: does not verify with the embedded jwk']);
    expect(o.signatureValid).toBe(false);
    expect(o.jkt).toBe(RFC_JKT);
    expect(o.claims?.htm).toBe('GET');
  });
});

describe('inspectProof: well-formed proofs', () => {
  it.each(['ES256', 'ES384', 'ES512', 'RS256', 'PS256', 'EdDSA', 'Ed25519'] as const)(
    'accepts a %s proof made with jose SignJWT',
    async (alg) => {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const jwk = await exportJWK(publicKey);
      const jwt = await new SignJWT({ ...CLAIMS }).setProtectedHeader({ alg, typ: 'dpop+jwt', jwk }).sign(privateKey);
      const o = await observe(jwt);
      expect(o.problems).toEqual([]);
      expect(o.signatureValid).toBe(true);
      expect(o.jkt).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
      expect(o.header?.alg).toBe(alg);
      expect(o.claims).toEqual(CLAIMS);
    },
  );

  it('accepts ES256K and Ed448 proofs, which jose cannot verify', async () => {
    const k1 = ecKeys('secp256k1');
    const es256k = await observe(signed('ES256K', k1.privateKey, dpopHeader({ alg: 'ES256K', jwk: k1.jwk })));
    expect(es256k.problems).toEqual([]);
    expect(es256k.signatureValid).toBe(true);
    expect(es256k.jkt).toBe(await calculateJwkThumbprint(k1.jwk, 'sha256'));

    const ed448 = generateKeyPairSync('ed448');
    const jwk = ed448.publicKey.export({ format: 'jwk' });
    const o = await observe(signed('EdDSA', ed448.privateKey, dpopHeader({ alg: 'EdDSA', jwk })));
    expect(o.problems).toEqual([]);
    expect(o.signatureValid).toBe(true);
  });

  it('does not take an Ed448 signature for one of another alg', async () => {
    const ed448 = generateKeyPairSync('ed448');
    const jwk = ed448.publicKey.export({ format: 'jwk' });
    // RFC 7515 §4.1.1: the signature is checked for the alg the header names, which an Ed448 key cannot make.
    const o = await observe(signed('EdDSA', ed448.privateKey, dpopHeader({ alg: 'ES512', jwk })));
    expect(o.signatureValid).toBe(false);
  });

  it('rejects a forged ES256K signature', async () => {
    const k1 = ecKeys('secp256k1');
    const other = ecKeys('secp256k1');
    const o = await observe(signed('ES256K', other.privateKey, dpopHeader({ alg: 'ES256K', jwk: k1.jwk })));
    expect(o.problems).toEqual(['signature: does not verify with the embedded jwk']);
    expect(o.signatureValid).toBe(false);
  });

  it('verifies with the key material only, whatever the jwk metadata says', async () => {
    const jwk = { ...P256.jwk, use: 'enc', key_ops: ['encrypt'], alg: 'ES384', kid: 'k1' };
    const o = await observe(signed('ES256', P256.privateKey, dpopHeader({ jwk })));
    expect(o.problems).toEqual([]);
    expect(o.signatureValid).toBe(true);
  });

  it('returns null when there is no DPoP header', async () => {
    expect(await inspectProof([])).toBeNull();
  });
});

describe('inspectProof: structural problems', () => {
  const JWS_PROBLEM = 'jws: not a compact JWS (expected three base64url parts)';

  it('garbage string', async () => {
    const o = await observe('garbage');
    expect(o).toEqual({
      count: 1,
      raw: 'garbage',
      header: null,
      claims: null,
      signatureValid: false,
      jkt: null,
      problems: [JWS_PROBLEM],
    });
  });

  it.each([
    ['empty', ''],
    ['two parts', 'eyJ9.eyJ9'],
    ['four parts', 'a.b.c.d'],
    ['JWE-like five parts', 'a.b.c.d.e'],
    ['empty header part', '.e30.sig'],
    ['padding', 'eyJhIjoxfQ==.e30.sig'],
    ['standard base64 alphabet', 'a+b/.e30.sig'],
    ['whitespace', 'eyJ9 .e30.sig'],
    ['Bearer-style prefix', `DPoP ${RFC_TOKEN_PROOF}`],
  ])('not a compact JWS: %s', async (_why, value) => {
    const o = await observe(value);
    expect(o.problems).toEqual([JWS_PROBLEM]);
    expect(o.header).toBeNull();
  });

  it.each([
    ['not JSON', b64('not json')],
    ['a JSON array', b64([1, 2])],
    ['a JSON string', b64('"dpop+jwt"')],
    ['JSON null', b64('null')],
    // Decoded leniently, the lone 0xFF would become U+FFFD inside a valid JSON string.
    ['invalid UTF-8', Buffer.concat([Buffer.from('{"typ":"'), Buffer.from([0xff]), Buffer.from('"}')]).toString('base64url')],
    // Node would decode "e30g" ('{} ') and ignore the trailing character.
    ['of an impossible base64url length', 'e30gA'],
  ])('header is %s', async (_why, headerPart) => {
    const o = await observe(`${headerPart}.${b64(CLAIMS)}.c2ln`);
    expect(o.problems).toEqual(['header: not a base64url-encoded JSON object']);
    expect(o.header).toBeNull();
    expect(o.claims).toBeNull();
  });

  it('more than one DPoP header: reported, and the first is still decoded', async () => {
    const first = goodProof();
    const o = await inspectProof([first, 'garbage']);
    expect(o?.count).toBe(2);
    expect(o?.raw).toBe(first);
    expect(o?.problems).toEqual(['count: 2 DPoP header fields, exactly one allowed']);
    expect(o?.signatureValid).toBe(true);
    expect(o?.claims).toEqual(CLAIMS);

    const third = await inspectProof(['garbage', first, first]);
    expect(third?.problems).toEqual(['count: 3 DPoP header fields, exactly one allowed', JWS_PROBLEM]);
  });

  it('typ JWT', async () => {
    const o = await observe(signed('ES256', P256.privateKey, dpopHeader({ typ: 'JWT' })));
    expect(o.problems).toEqual(['typ: expected dpop+jwt, got JWT']);
    expect(o.signatureValid).toBe(true);
    expect(o.jkt).not.toBeNull();
  });

  it.each([
    ['missing', undefined, 'typ: missing, expected dpop+jwt'],
    ['a number', 42, 'typ: expected dpop+jwt, got 42'],
    ['with a space', 'dpop+jwt ', 'typ: expected dpop+jwt, got "dpop+jwt "'],
    ['very long', 'x'.repeat(100), `typ: expected dpop+jwt, got "${'x'.repeat(60)}...`],
    ['64 printable characters', 'x'.repeat(64), `typ: expected dpop+jwt, got ${'x'.repeat(64)}`],
    ['62 characters with a space', `${'x'.repeat(61)} `, `typ: expected dpop+jwt, got "${'x'.repeat(61)} "`],
    ['with a leading space', ' dpop+jwt', 'typ: expected dpop+jwt, got " dpop+jwt"'],
    ['with application/ inside', 'dpop+application/jwt', 'typ: expected dpop+jwt, got dpop+application/jwt'],
  ])('typ %s', async (_why, typ, problem) => {
    const header = dpopHeader();
    if (typ === undefined) delete header['typ'];
    else header['typ'] = typ;
    const o = await observe(signed('ES256', P256.privateKey, header));
    expect(o.problems).toEqual([problem]);
    // A wrong typ is a problem, never also a note.
    expect(o).not.toHaveProperty('notes');
  });

  it('typ dpop+jwt exactly: neither a problem nor a note', async () => {
    const o = await observe(signed('ES256', P256.privateKey, dpopHeader()));
    expect(o.problems).toEqual([]);
    expect(o).not.toHaveProperty('notes');
  });

  it.each(['application/dpop+jwt', 'DPoP+JWT', 'Application/DPOP+jwt'])('typ %s: the same media type (RFC 7515 §4.1.9), so a note, not a problem', async (typ) => {
    const o = await observe(signed('ES256', P256.privateKey, dpopHeader({ typ })));
    expect(o.problems).toEqual([]);
    expect(o.notes).toEqual([`typ ${typ} is dpop+jwt per RFC 7515 §4.1.9, but servers that compare bytes refuse it; send exactly dpop+jwt`]);
    expect(o.signatureValid).toBe(true);
  });

  it('alg none', async () => {
    const o = await observe(`${b64(dpopHeader({ alg: 'none' }))}.${b64(CLAIMS)}.`);
    expect(o.problems).toEqual(['alg: none is not allowed']);
    expect(o.signatureValid).toBe(false);
    // The key is still a valid public key, so its thumbprint is known.
    expect(o.jkt).toBe(await calculateJwkThumbprint(P256.jwk, 'sha256'));
  });

  it('alg HS256 with an oct jwk', async () => {
    const secret = Buffer.from('a shared secret of at least 32 bytes!!');
    const jwk = { kty: 'oct', k: secret.toString('base64url') };
    const o = await observe(signed('HS256', createSecretKey(secret), dpopHeader({ alg: 'HS256', jwk })));
    expect(o.problems).toEqual([
      'alg: symmetric (MAC) algorithm HS256 is not allowed',
      'jwk: contains private key members k',
      'jwk: kty oct (symmetric key) is not allowed',
    ]);
    expect(o.signatureValid).toBe(false);
    expect(o.jkt).toBeNull();
  });

  it.each([
    ['missing', undefined, 'alg: missing'],
    ['not a string', 7, 'alg: not a string (7)'],
    ['an encryption algorithm', 'RSA-OAEP', 'alg: RSA-OAEP is not an accepted asymmetric JWS algorithm'],
    ['unregistered', 'ES256X', 'alg: ES256X is not an accepted asymmetric JWS algorithm'],
    ['NONE', 'NONE', 'alg: NONE is not an accepted asymmetric JWS algorithm'],
    ['HS512', 'HS512', 'alg: symmetric (MAC) algorithm HS512 is not allowed'],
  ])('alg %s', async (_why, alg, problem) => {
    const header = dpopHeader();
    if (alg === undefined) delete header['alg'];
    else header['alg'] = alg;
    const o = await observe(signed('ES256', P256.privateKey, header));
    expect(o.problems).toEqual([problem]);
    expect(o.signatureValid).toBe(false);
  });

  it('private EC key in jwk: reported, signature still checked, no jkt', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const jwt = await new SignJWT({ ...CLAIMS })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
      .sign(privateKey);
    const o = await observe(jwt);
    expect(o.problems).toEqual(['jwk: contains private key members d']);
    expect(o.signatureValid).toBe(true);
    expect(o.jkt).toBeNull();
  });

  it('private RSA key in jwk lists every private member', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateJwk = privateKey.export({ format: 'jwk' });
    const o = await observe(signed('RS256', privateKey, dpopHeader({ alg: 'RS256', jwk: privateJwk })));
    expect(o.problems).toEqual(['jwk: contains private key members d, p, q, dp, dq, qi']);
    expect(o.signatureValid).toBe(true);
  });

  it.each([
    ['missing', undefined, 'jwk: missing'],
    ['a string', 'abc', 'jwk: not a JSON object (abc)'],
    ['an array', [], 'jwk: not a JSON object ([])'],
    ['null', null, 'jwk: not a JSON object (null)'],
    ['not a key', { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }, 'jwk: not a valid public key (kty EC)'],
    ['of unknown type', { kty: 'XYZ' }, 'jwk: not a valid public key (kty XYZ)'],
  ])('jwk %s', async (_why, jwk, problem) => {
    const header = dpopHeader();
    if (jwk === undefined) delete header['jwk'];
    else header['jwk'] = jwk;
    const o = await observe(signed('ES256', P256.privateKey, header));
    expect(o.problems).toEqual([problem]);
    expect(o.signatureValid).toBe(false);
    expect(o.jkt).toBeNull();
  });

  it('tampered signature', async () => {
    const proof = goodProof();
    const [header, payload, signature = ''] = proof.split('.');
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const o = await observe(`${header}.${payload}.${flipped}`);
    expect(o.problems).toEqual(['signature: does not verify with the embedded jwk']);
    expect(o.signatureValid).toBe(false);
    expect(o.jkt).toBe(await calculateJwkThumbprint(P256.jwk, 'sha256'));
    expect(o.claims).toEqual(CLAIMS);
  });

  it('signed by another key than the embedded one', async () => {
    const other = ecKeys();
    const o = await observe(signed('ES256', other.privateKey, dpopHeader()));
    expect(o.problems).toEqual(['signature: does not verify with the embedded jwk']);
  });

  it('a key that does not fit the alg', async () => {
    const p384 = ecKeys('P-384');
    const o = await observe(signed('ES384', p384.privateKey, dpopHeader({ alg: 'ES256', jwk: p384.jwk })));
    expect(o.problems).toHaveLength(1);
    expect(o.problems[0]).toMatch(/^signature: cannot be verified \(key does not fit alg ES256: .+\)$/);
    expect(o.signatureValid).toBe(false);
    expect(o.jkt).toBe(await calculateJwkThumbprint(p384.jwk, 'sha256'));
  });

  it('unknown critical header parameter', async () => {
    const o = await observe(signed('ES256', P256.privateKey, dpopHeader({ crit: ['x-ext'], 'x-ext': 1 })));
    expect(o.problems).toHaveLength(1);
    expect(o.problems[0]).toMatch(/^signature: cannot be verified \(.*x-ext.*\)$/);

    const k1 = ecKeys('secp256k1');
    const es256k = signed('ES256K', k1.privateKey, dpopHeader({ alg: 'ES256K', jwk: k1.jwk, crit: ['x-ext'], 'x-ext': 1 }));
    expect((await observe(es256k)).problems).toEqual([
      'signature: cannot be verified ("crit" header parameter is not supported)',
    ]);
  });

  it('ES256K with a key on another curve', async () => {
    const o = await observe(signed('ES256', P256.privateKey, dpopHeader({ alg: 'ES256K' })));
    expect(o.problems).toEqual(['signature: cannot be verified (ES256K requires curve secp256k1)']);
  });

  it('accepts every registered asymmetric alg name (RFC 9449 §4.2)', async () => {
    for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519']) {
      const o = await observe(signed('ES256', P256.privateKey, dpopHeader({ alg })));
      expect(o.problems.filter((problem) => problem.startsWith('alg:'))).toEqual([]);
      expect(o.signatureValid).toBe(alg === 'ES256');
    }
  });

  it.each([
    ['not JSON', 'not json'],
    ['a JSON array', '[1,2]'],
    ['a JSON number', '42'],
    ['empty', ''],
  ])('payload %s, validly signed', async (_why, payload) => {
    const jwt = await new CompactSign(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: P256.jwk })
      .sign(P256.privateKey);
    const o = await observe(jwt);
    expect(o.problems).toEqual(['claims: payload is not a JSON object']);
    expect(o.signatureValid).toBe(true);
    expect(o.claims).toBeNull();
    expect(o.header).not.toBeNull();
  });

  it('reports several problems of one proof together, in a stable order', async () => {
    const o = await observe(`${b64({ typ: 'JWT', alg: 'none' })}.${b64('[]')}.`);
    expect(o.problems).toEqual([
      'typ: expected dpop+jwt, got JWT',
      'alg: none is not allowed',
      'jwk: missing',
      'claims: payload is not a JSON object',
    ]);
  });
});

describe('inspectProof: hostile input', () => {
  it('refuses a 1 MB value without parsing it', async () => {
    // A real header part: if it were parsed, `header` would be filled in.
    const huge = `${RFC_HEADER_PART}.${'A'.repeat(1024 * 1024)}.sig`;
    const started = performance.now();
    const o = await observe(huge);
    const elapsed = performance.now() - started;
    expect(o.problems).toEqual([`length: ${huge.length} characters, limit ${MAX_PROOF_LENGTH}`]);
    expect(o.header).toBeNull();
    expect(o.claims).toBeNull();
    expect(o.raw).toBe(huge.slice(0, MAX_PROOF_LENGTH));
    expect(elapsed).toBeLessThan(1000);
  });

  it('applies the limit from one character past MAX_PROOF_LENGTH', async () => {
    expect((await observe('a'.repeat(MAX_PROOF_LENGTH))).problems).toEqual([
      'jws: not a compact JWS (expected three base64url parts)',
    ]);
    expect((await observe('a'.repeat(MAX_PROOF_LENGTH + 1))).problems).toEqual([
      `length: ${MAX_PROOF_LENGTH + 1} characters, limit ${MAX_PROOF_LENGTH}`,
    ]);
  });

  it('does not throw on values of the wrong type', async () => {
    const o = await inspectProof([42 as unknown as string]);
    expect(o?.problems).toEqual(['jws: not a compact JWS (expected three base64url parts)']);
    expect(o?.raw).toBe('');
    expect(await inspectProof(null as unknown as string[])).toBeNull();
  });

  it('never throws on arbitrary strings, and always reports a coded problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 3 }), async (values) => {
        const o = await inspectProof(values);
        expect(o?.count).toBe(values.length);
        expect(o?.problems.length).toBeGreaterThan(0);
        for (const problem of o?.problems ?? []) expect(problem).toMatch(/^[a-z]+: /);
      }),
      { seed: 4242, numRuns: 200 },
    );
  });

  it('never throws on arbitrary JSON headers and payloads', async () => {
    const header = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record(
        {
          typ: fc.oneof(fc.constant('dpop+jwt'), fc.jsonValue({ maxDepth: 1 })),
          alg: fc.oneof(fc.constantFrom('ES256', 'EdDSA', 'RS256', 'none', 'HS256'), fc.jsonValue({ maxDepth: 1 })),
          jwk: fc.oneof(fc.constant<unknown>(P256.jwk), fc.jsonValue({ maxDepth: 2 })),
        },
        { requiredKeys: [] },
      ),
    );
    const signature = fc.stringMatching(/^[A-Za-z0-9_-]{0,90}$/);
    await fc.assert(
      fc.asyncProperty(header, fc.jsonValue({ maxDepth: 2 }), signature, async (h, payload, sig) => {
        const o = await observe(`${b64(JSON.stringify(h))}.${b64(JSON.stringify(payload))}.${sig}`);
        expect(o.signatureValid).toBe(false);
        expect(o.problems.length).toBeGreaterThan(0);
        for (const problem of o.problems) expect(problem).toMatch(/^[a-z]+: /);
      }),
      { seed: 1932, numRuns: 200 },
    );
  });
});
