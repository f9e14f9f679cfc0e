import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DPOP_ALG_PREFERENCE } from '../../src/clients/dpop-alg.ts';
import { generateDpopKey, isRsaAlg, publicMembers, runKey } from '../../src/clients/dpop-key.ts';
import type { DpopKey } from '../../src/clients/dpop-key.ts';
import { DpopProofSigner, athOf, htuOf, randomJti } from '../../src/clients/dpop-proof.ts';
import { FaultSet } from '../../src/clients/faults.ts';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('htuOf (RFC 9449 §4.2)', () => {
  it('drops query and fragment', () => {
    expect(htuOf('https://rs.example/mcp?x=1&y=2#frag')).toBe('https://rs.example/mcp');
  });

  it('drops userinfo and a default port, lowercases scheme and host', () => {
    expect(htuOf('HTTPS://user:pw@RS.Example:443/Mcp')).toBe('https://rs.example/Mcp');
    expect(htuOf('http://127.0.0.1:8080/a/../mcp')).toBe('http://127.0.0.1:8080/mcp');
  });

  it('keeps a trailing slash, which is a different resource (RFC 3986 §6.2.3)', () => {
    expect(htuOf('https://rs.example/mcp/')).toBe('https://rs.example/mcp/');
  });
});

describe('athOf (RFC 9449 §4.2)', () => {
  it('matches the RFC 9449 §7.1 example', () => {
    expect(athOf('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });
});

describe('randomJti (RFC 9449 §4.2, §11.1)', () => {
  it('has at least 96 bits and does not repeat', () => {
    const jtis = new Set(Array.from({ length: 1000 }, () => randomJti()));
    expect(jtis.size).toBe(1000);
    for (const jti of jtis) expect(Buffer.from(jti, 'base64url').length).toBeGreaterThanOrEqual(12);
  });
});

describe('publicMembers', () => {
  it('drops private and extra members', () => {
    const jwk: JWK = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret', ext: true, key_ops: ['sign'], alg: 'ES256' };
    expect(publicMembers(jwk)).toStrictEqual({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' });
  });

  it('adds no member the key does not have (an OKP key has no y, n or e)', () => {
    expect(Object.keys(publicMembers({ kty: 'OKP', crv: 'Ed25519', x: 'x', d: 'secret' }))).toEqual(['kty', 'crv', 'x']);
  });
});

describe('generateDpopKey (RFC 9449 §11.4)', () => {
  it('keeps the private key non-extractable and exports only public members', async () => {
    for (const alg of DPOP_ALG_PREFERENCE) {
      const key = await generateDpopKey(alg);
      expect(key.privateKey.extractable, alg).toBe(false);
      expect(key.alg).toBe(alg);
      expect(Object.keys(key.publicJwk).every((m) => ['kty', 'crv', 'x', 'y', 'n', 'e'].includes(m)), alg).toBe(true);
    }
  });
});

describe('runKey: the key pair of one client run', () => {
  it('names the RSA algorithms, whose keys take a prime search', () => {
    expect(DPOP_ALG_PREFERENCE.filter(isRsaAlg)).toEqual(['PS256', 'RS256', 'PS384', 'PS512', 'RS384', 'RS512']);
  });

  it('generates an EC or OKP key fresh for every run', async () => {
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const [a, b] = await Promise.all([runKey(alg), runKey(alg)]);
      expect(a.alg).toBe(alg);
      expect(a.publicJwk, alg).not.toEqual(b.publicJwk);
    }
  });

  it('keeps one RSA key per algorithm for the process, non-extractable, shared by concurrent runs', async () => {
    const [a, b] = await Promise.all([runKey('PS256'), runKey('PS256')]);
    expect(b).toBe(a);
    expect(await runKey('PS256')).toBe(a);
    expect(a.privateKey.extractable).toBe(false);
    const other = await runKey('RS256');
    expect(other.alg).toBe('RS256');
    expect(other).not.toBe(a);
  });
});

describe('DpopProofSigner', () => {
  let key: DpopKey;
  beforeAll(async () => {
    key = await generateDpopKey('ES256');
  });

  it('signs a token-request proof: typ dpop+jwt, public jwk, htm POST, htu without query, no ath', async () => {
    const before = Math.floor(Date.now() / 1000);
    const proof = await new DpopProofSigner(key, new FaultSet()).tokenRequestProof('https://as.example/token?tenant=1', null);
    const header = decodeProtectedHeader(proof);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    const { payload } = await jwtVerify(proof, await importJWK(header.jwk as JWK, 'ES256'));
    expect(payload).toMatchObject({ htm: 'POST', htu: 'https://as.example/token' });
    expect(payload.ath).toBeUndefined();
    expect(payload.nonce).toBeUndefined();
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('signs a resource proof bound to the token by ath, with the given method', async () => {
    const proof = await new DpopProofSigner(key, new FaultSet()).resourceProof('DELETE', 'http://127.0.0.1:9/mcp?q=1', 'token-1', null);
    const claims = decodeJwt(proof);
    expect(claims).toMatchObject({ htm: 'DELETE', htu: 'http://127.0.0.1:9/mcp', ath: athOf('token-1') });
    expect(Number.isInteger(claims.iat)).toBe(true);
  });

  it('puts the nonce in the proof byte for byte (RFC 9449 §8.1 NQCHAR)', async () => {
    const signer = new DpopProofSigner(key, new FaultSet());
    const nonce = "a,b;c=d'e!#$%&()*+-./:<=>?@[]^_`{|}~0Z";
    expect(decodeJwt(await signer.tokenRequestProof('https://as.example/token', nonce)).nonce).toBe(nonce);
    expect(decodeJwt(await signer.resourceProof('POST', 'https://rs.example/mcp', 't', nonce)).nonce).toBe(nonce);
  });

  it('uses a new jti for every proof', async () => {
    const signer = new DpopProofSigner(key, new FaultSet());
    const proofs = await Promise.all([
      signer.tokenRequestProof('https://as.example/token', null),
      signer.tokenRequestProof('https://as.example/token', null),
      signer.resourceProof('POST', 'https://rs.example/mcp', 't', null),
      signer.resourceProof('POST', 'https://rs.example/mcp', 't', null),
    ]);
    expect(new Set(proofs.map((p) => decodeJwt(p).jti)).size).toBe(4);
  });

  it.each(DPOP_ALG_PREFERENCE)('signs with %s and sends only public key members', async (alg) => {
    const algKey = await generateDpopKey(alg);
    const proof = await new DpopProofSigner(algKey, new FaultSet()).resourceProof('GET', 'https://rs.example/mcp', 't', null);
    const header = decodeProtectedHeader(proof);
    expect(header.alg).toBe(alg);
    const jwk = header.jwk as Record<string, unknown>;
    for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    await expect(jwtVerify(proof, await importJWK(header.jwk as JWK, alg))).resolves.toBeDefined();
  });

  describe('faults change only their own claim', () => {
    const sign = async (faults: FaultSet): Promise<{ token: string; mcp: string }> => {
      const signer = new DpopProofSigner(key, faults);
      return {
        token: await signer.tokenRequestProof('https://as.example/token?x=1', null),
        mcp: await signer.resourceProof('POST', 'https://rs.example/mcp?x=1', 'tok', null),
      };
    };

    it('token-proof-typ-jwt: typ JWT on token requests only', async () => {
      const { token, mcp } = await sign(new FaultSet(['token-proof-typ-jwt']));
      expect(decodeProtectedHeader(token).typ).toBe('JWT');
      expect(decodeProtectedHeader(mcp).typ).toBe('dpop+jwt');
    });

    it('iat-milliseconds: iat in ms on MCP proofs only', async () => {
      const { token, mcp } = await sign(new FaultSet(['iat-milliseconds']));
      expect(decodeJwt(mcp).iat).toBeGreaterThan(1e12);
      expect(decodeJwt(token).iat).toBeLessThan(1e11);
    });

    it('htu-with-query: the query stays in MCP htu only', async () => {
      const { token, mcp } = await sign(new FaultSet(['htu-with-query']));
      expect(decodeJwt(mcp).htu).toBe('https://rs.example/mcp?x=1');
      expect(decodeJwt(token).htu).toBe('https://as.example/token');
    });

    it('ath-hex: ath is the hex digest', async () => {
      const { mcp } = await sign(new FaultSet(['ath-hex']));
      expect(decodeJwt(mcp).ath).toMatch(/^[0-9a-f]{64}$/);
      expect(decodeJwt(mcp).ath).not.toBe(athOf('tok'));
    });

    it('jti-counter: "1", "2"… per server, so the servers see the same jtis', async () => {
      const signer = new DpopProofSigner(key, new FaultSet(['jti-counter']));
      const token1 = decodeJwt(await signer.tokenRequestProof('https://as.example/token', null)).jti;
      const mcp1 = decodeJwt(await signer.resourceProof('POST', 'https://rs.example/mcp', 't', null)).jti;
      const mcp2 = decodeJwt(await signer.resourceProof('POST', 'https://rs.example/mcp', 't', null)).jti;
      expect([token1, mcp1, mcp2]).toEqual(['1', '1', '2']);
    });

    it('new-key-per-request: MCP proofs use other keys, token proofs the run key', async () => {
      const signer = new DpopProofSigner(key, new FaultSet(['new-key-per-request']));
      const runJkt = await calculateJwkThumbprint(key.publicJwk);
      const jktOf = async (proof: string): Promise<string> => calculateJwkThumbprint(decodeProtectedHeader(proof).jwk as JWK);
      expect(await jktOf(await signer.tokenRequestProof('https://as.example/token', null))).toBe(runJkt);
      const a = await jktOf(await signer.resourceProof('POST', 'https://rs.example/mcp', 't', null));
      const b = await jktOf(await signer.resourceProof('POST', 'https://rs.example/mcp', 't', null));
      expect(a).not.toBe(runJkt);
      expect(b).not.toBe(a);
    });

    it('the reference signer has none of these', async () => {
      const { token, mcp } = await sign(new FaultSet());
      expect(decodeProtectedHeader(token).typ).toBe('dpop+jwt');
      expect(decodeJwt(mcp)).toMatchObject({ htu: 'https://rs.example/mcp', ath: athOf('tok') });
      expect(decodeJwt(mcp).iat).toBeLessThan(1e11);
      expect(await calculateJwkThumbprint(decodeProtectedHeader(mcp).jwk as JWK)).toBe(await calculateJwkThumbprint(key.publicJwk));
    });
  });
});
