import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessTokenHash } from '../../src/dpop/ath.ts';

describe('accessTokenHash (RFC 9449 §4.2 ath)', () => {
  it('matches the RFC 9449 §7.1 example', () => {
    expect(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe(
      'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo',
    );
  });

  it('hashes the empty token to base64url(SHA-256(""))', () => {
    expect(accessTokenHash('')).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
  });

  it('is unpadded base64url of a 32-byte digest, equal to an independent computation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), (token) => {
        const ath = accessTokenHash(token);
        expect(ath).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const hex = createHash('sha256').update(Buffer.from(token, 'latin1')).digest('hex');
        expect(Buffer.from(ath, 'base64url').toString('hex')).toBe(hex);
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('distinguishes tokens that differ in one character', () => {
    expect(accessTokenHash('token-a')).not.toBe(accessTokenHash('token-b'));
  });
});
