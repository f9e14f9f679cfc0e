import { describe, expect, it } from 'vitest';
import { DPOP_ALG_PREFERENCE, selectDpopAlg } from '../../src/clients/dpop-alg.ts';

describe('selectDpopAlg (RFC 9449 §5.1)', () => {
  it('uses ES256 when the server advertises nothing', () => {
    expect(selectDpopAlg(undefined)).toBe('ES256');
  });

  it('treats a malformed list as absent', () => {
    expect(selectDpopAlg('ES384')).toBe('ES256');
    expect(selectDpopAlg(['ES384', 7])).toBe('ES256');
  });

  it('picks the most preferred advertised alg, whatever the server order', () => {
    expect(selectDpopAlg(['RS256', 'PS256', 'ES256'])).toBe('ES256');
    expect(selectDpopAlg(['RS256', 'EdDSA'])).toBe('EdDSA');
    expect(selectDpopAlg(['RS512', 'ES384', 'PS256'])).toBe('ES384');
    expect(selectDpopAlg(['RS256', 'PS256'])).toBe('PS256');
    expect(selectDpopAlg(['RS384', 'ES512'])).toBe('ES512');
    expect(selectDpopAlg(['RS512'])).toBe('RS512');
  });

  it('skips advertised algs it cannot use, including MAC and none', () => {
    expect(selectDpopAlg(['HS256', 'none', 'ES256K', 'PS384'])).toBe('PS384');
  });

  it('compares alg names exactly (RFC 7515 §4.1.1: case-sensitive)', () => {
    expect(selectDpopAlg(['es256', 'eddsa'])).toBeNull();
    expect(selectDpopAlg(['es256', 'RS384'])).toBe('RS384');
  });

  it('returns null when nothing usable is advertised', () => {
    expect(selectDpopAlg([])).toBeNull();
    expect(selectDpopAlg(['HS256', 'none'])).toBeNull();
  });

  it('chooses each supported alg when it is the only one advertised', () => {
    for (const alg of DPOP_ALG_PREFERENCE) expect(selectDpopAlg(['HS512', alg])).toBe(alg);
  });
});
