import { describe, expect, it } from 'vitest';
import { athProblem, claimProblems } from '../../src/dpop/claims.ts';
import type { ClaimExpectations, ClaimProblemCode } from '../../src/dpop/claims.ts';
import type { ProofClaims } from '../../src/trace/types.ts';

const NOW = 1_700_000_000;
const EXPECTED: ClaimExpectations = {
  htm: 'POST',
  htuTarget: 'https://as.example.com/token',
  nowSeconds: NOW,
  iatWindowSeconds: 300,
};
const GOOD: ProofClaims = { jti: 'd8a1c5e2-6a39-4a55-9f0e-3c1b2b7f6e10', htm: 'POST', htu: 'https://as.example.com/token', iat: NOW };

function codes(claims: ProofClaims, expected: ClaimExpectations = EXPECTED): ClaimProblemCode[] {
  return claimProblems(claims, expected).map((problem) => problem.code);
}

function without(name: string): ProofClaims {
  const { [name]: _removed, ...rest } = GOOD;
  return rest;
}

describe('claimProblems (RFC 9449 §4.2, §4.3)', () => {
  it('passes a correct proof', () => {
    expect(claimProblems(GOOD, EXPECTED)).toEqual([]);
  });

  it('ignores extra claims (RFC 9449 §4.2)', () => {
    expect(codes({ ...GOOD, nonce: 'n', ath: 'x', extra: { a: 1 } })).toEqual([]);
  });

  it.each<[string, ProofClaims, ClaimProblemCode[]]>([
    ['jti missing', without('jti'), ['jti-missing']],
    ['jti empty', { ...GOOD, jti: '' }, ['jti-missing']],
    ['jti a number', { ...GOOD, jti: 12345 }, ['jti-not-string']],
    ['jti null', { ...GOOD, jti: null }, ['jti-not-string']],
    ['htm missing', without('htm'), ['htm-missing']],
    ['htm lowercase (methods are case-sensitive)', { ...GOOD, htm: 'post' }, ['htm-mismatch']],
    ['htm another method', { ...GOOD, htm: 'GET' }, ['htm-mismatch']],
    ['htm not a string', { ...GOOD, htm: ['POST'] }, ['htm-mismatch']],
    ['htu missing', without('htu'), ['htu-missing']],
    ['htu another path', { ...GOOD, htu: 'https://as.example.com/authorize' }, ['htu-mismatch']],
    ['htu trailing slash', { ...GOOD, htu: 'https://as.example.com/token/' }, ['htu-mismatch']],
    ['htu not a string', { ...GOOD, htu: 42 }, ['htu-mismatch']],
    ['htu not a URI', { ...GOOD, htu: 'token' }, ['htu-mismatch']],
    ['htu with a query', { ...GOOD, htu: 'https://as.example.com/token?x=1' }, ['htu-has-query-or-fragment']],
    ['htu with a fragment', { ...GOOD, htu: 'https://as.example.com/token#f' }, ['htu-has-query-or-fragment']],
    ['htu with an empty query', { ...GOOD, htu: 'https://as.example.com/token?' }, ['htu-has-query-or-fragment']],
    [
      'htu with a query and another path',
      { ...GOOD, htu: 'https://as.example.com/other?x=1' },
      ['htu-has-query-or-fragment', 'htu-mismatch'],
    ],
    ['iat missing', without('iat'), ['iat-missing']],
    ['iat a numeric string', { ...GOOD, iat: String(NOW) }, ['iat-not-number']],
    ['iat null', { ...GOOD, iat: null }, ['iat-not-number']],
    ['iat infinite', { ...GOOD, iat: Number.POSITIVE_INFINITY }, ['iat-not-number']],
    ['iat too old', { ...GOOD, iat: NOW - 301 }, ['iat-out-of-window']],
    ['iat too far ahead', { ...GOOD, iat: NOW + 301 }, ['iat-out-of-window']],
    ['everything missing', {}, ['jti-missing', 'htm-missing', 'htu-missing', 'iat-missing']],
  ])('%s', (_why, claims, expected) => {
    const problems = claimProblems(claims, EXPECTED);
    expect(problems.map((problem) => problem.code)).toEqual(expected);
    for (const problem of problems) {
      // Each message names the claim it is about.
      expect(problem.message).toMatch(new RegExp(`^${problem.code.split('-')[0] ?? ''} claim `));
    }
  });

  it('accepts iat exactly at the window edges, and non-integer iat', () => {
    expect(codes({ ...GOOD, iat: NOW - 300 })).toEqual([]);
    expect(codes({ ...GOOD, iat: NOW + 300 })).toEqual([]);
    expect(codes({ ...GOOD, iat: NOW + 0.5 })).toEqual([]);
    expect(codes({ ...GOOD, iat: NOW - 300.5 })).toEqual(['iat-out-of-window']);
  });

  it('uses the window it is given', () => {
    expect(codes({ ...GOOD, iat: NOW - 10 }, { ...EXPECTED, iatWindowSeconds: 5 })).toEqual(['iat-out-of-window']);
    expect(codes({ ...GOOD, iat: NOW - 10 }, { ...EXPECTED, iatWindowSeconds: 10 })).toEqual([]);
  });

  it('explains each problem in its message', () => {
    const [problem] = claimProblems({ ...GOOD, iat: NOW - 400 }, EXPECTED);
    expect(problem?.message).toBe('iat claim 1699999600 is 400s in the past (window ±300s)');
    const [long] = claimProblems({ ...GOOD, htm: 'P'.repeat(100) }, EXPECTED);
    expect(long?.message).toBe(`htm claim "${'P'.repeat(76)}... does not match the request method "POST"`);
    const [future] = claimProblems({ ...GOOD, iat: NOW + 301 }, EXPECTED);
    expect(future?.message).toBe('iat claim 1700000301 is 301s in the future (window ±300s)');
    const [htm] = claimProblems({ ...GOOD, htm: 'post' }, EXPECTED);
    expect(htm?.message).toBe('htm claim "post" does not match the request method "POST"');
    const [htu] = claimProblems({ ...GOOD, htu: 42 }, EXPECTED);
    expect(htu?.message).toBe('htu claim is not a string: 42');
    const [iat] = claimProblems({ ...GOOD, iat: null }, EXPECTED);
    expect(iat?.message).toBe('iat claim is not a number: null');
    const [jti] = claimProblems({ ...GOOD, jti: '' }, EXPECTED);
    expect(jti?.message).toBe('jti claim is an empty string');
    const [query] = claimProblems({ ...GOOD, htu: 'https://as.example.com/token?x' }, EXPECTED);
    expect(query?.message).toBe('htu claim "https://as.example.com/token?x" has a query or fragment (RFC 9449 §4.2 excludes them)');
  });

  describe('htu is compared after RFC 3986 normalization', () => {
    const at = (htu: string, htuTarget: string): ClaimProblemCode[] =>
      codes({ ...GOOD, htu }, { ...EXPECTED, htuTarget });

    it.each([
      ['HTTPS://Example.COM:443/a/../mcp', 'https://example.com/mcp'],
      ['http://h:80', 'http://h/'],
      ['https://h/%7euser/mcp', 'https://h/~user/mcp'],
      ['http://[::1]:3000/mcp', 'http://[::1]:3000/mcp'],
      ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/mcp?session=abc'],
    ])('%s ≡ %s', (htu, target) => {
      expect(at(htu, target)).toEqual([]);
    });

    it.each([
      ['https://h/a%2Fmcp', 'https://h/a/mcp'],
      ['https://h/mcp', 'https://h/mcp/'],
      ['http://localhost:3000/mcp', 'http://127.0.0.1:3000/mcp'],
    ])('%s ≢ %s', (htu, target) => {
      expect(at(htu, target)).toEqual(['htu-mismatch']);
    });

    it('ignores the query of htu for the match but still reports it', () => {
      expect(at('https://h/mcp?x=1', 'https://h/mcp')).toEqual(['htu-has-query-or-fragment']);
    });
  });

  it('does not throw on a non-object claims value', () => {
    expect(codes(null as unknown as ProofClaims)).toEqual(['jti-missing', 'htm-missing', 'htu-missing', 'iat-missing']);
    expect(codes('claims' as unknown as ProofClaims)).toEqual(['jti-missing', 'htm-missing', 'htu-missing', 'iat-missing']);
  });
});

describe('athProblem (RFC 9449 §4.2, §7)', () => {
  /** RFC 9449 §7.1 example access token and its ath. */
  const TOKEN = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
  const ATH = 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo';

  it('accepts the RFC 9449 §7.1 example', () => {
    expect(athProblem({ ...GOOD, ath: ATH }, TOKEN)).toBeNull();
  });

  it('reports a missing ath', () => {
    expect(athProblem(GOOD, TOKEN)).toBe('ath-missing');
    expect(athProblem(null as unknown as ProofClaims, TOKEN)).toBe('ath-missing');
  });

  it('reports an ath for another token, a padded ath, or a non-string ath', () => {
    expect(athProblem({ ...GOOD, ath: ATH }, `${TOKEN}x`)).toBe('ath-mismatch');
    expect(athProblem({ ...GOOD, ath: `${ATH}=` }, TOKEN)).toBe('ath-mismatch');
    expect(athProblem({ ...GOOD, ath: 42 }, TOKEN)).toBe('ath-mismatch');
    expect(athProblem({ ...GOOD, ath: null }, TOKEN)).toBe('ath-mismatch');
  });
});
