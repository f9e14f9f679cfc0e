import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { CHECK_IDS } from '../src/checks/registry.ts';
import { judge } from '../src/checks/judge.ts';
import { DEFAULT_JUDGE_OPTIONS } from '../src/checks/types.ts';
import { BASE_SCHEDULE } from '../src/schedule/defaults.ts';
import type { Trace, TraceEntry } from '../src/trace/types.ts';

/**
 * Whatever a client sends, the judge answers: for arbitrary (even absurd)
 * recorded traffic every check returns a verdict, never throws, and only
 * cites entries that exist. Claims are arbitrary JSON because clients are.
 */
const claimValue = fc.oneof(fc.jsonValue(), fc.string(), fc.constantFrom('n1', 'n2', 'AT', 'x'));
const entryArb = fc.record({
  server: fc.constantFrom('as' as const, 'mcp' as const, 'elsewhere' as const),
  endpoint: fc.constantFrom('token' as const, 'mcp' as const, 'prm' as const, 'authorize' as const, 'other' as const),
  location: fc.option(fc.constantFrom('http://127.0.0.1:9/cb?code=C1', 'not a url', 'http://127.0.0.1:9/cb'), { nil: null }),
  query: fc.constantFrom('', '?dpop_jkt=k', '?dpop_jkt=other&x=1', ' not a url'),
  code: fc.option(fc.constantFrom('C1', 'C2'), { nil: null }),
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'get'),
  at: fc.nat(1000),
  dur: fc.nat(100),
  claims: fc.option(fc.dictionary(fc.constantFrom('jti', 'htm', 'htu', 'iat', 'ath', 'nonce', 'x'), claimValue), { nil: null }),
  header: fc.option(fc.dictionary(fc.constantFrom('typ', 'alg', 'jwk'), fc.jsonValue()), { nil: null }),
  token: fc.option(fc.constantFrom('AT', 'other', ''), { nil: null }),
  scheme: fc.constantFrom('DPoP', 'Bearer', 'dpop', 'Basic'),
  status: fc.constantFrom(0, 200, 202, 400, 401, 404, 429, 503),
  error: fc.option(fc.constantFrom('use_dpop_nonce', 'invalid_dpop_proof', 'invalid_token', 'invalid_grant'), { nil: null }),
  nonce: fc.option(fc.constantFrom('n1', 'n2', 'n3'), { nil: null }),
  key: fc.constantFrom('a', 'b', 'c'),
  session: fc.option(fc.constantFrom('S1', 'S2'), { nil: null }),
  issuesSession: fc.option(fc.constantFrom('S1', 'S2'), { nil: null }),
  issuesToken: fc.boolean(),
});

type RawEntry = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

function toTrace(raw: RawEntry[], tokenType: string, capped: boolean): Trace {
  const entries: TraceEntry[] = raw.map((r, seq) => ({
    seq,
    server: r.server,
    endpoint: r.server === 'elsewhere' ? 'other' : r.endpoint,
    receivedAt: r.at,
    respondedAt: r.at + r.dur,
    method: r.method,
    url: r.query === ' not a url' ? 'not a url' : `http://127.0.0.1:1/x${r.query}`,
    htuTarget: 'http://127.0.0.1:1/x',
    proof: r.claims === null && r.header === null ? null : { count: 1, raw: 'x', header: r.header, claims: r.claims, signatureValid: true, jkt: 'k', problems: [] },
    authorization: r.token === null ? { kind: 'none' } : { kind: 'credentials', scheme: r.scheme, token: r.token, tokenId: r.token === 'AT' ? 't0' : null },
    sessionId: r.session,
    rpc: [],
    grant: r.endpoint === 'token' ? (r.code === null ? { type: 'refresh_token', code: null, refreshToken: 'RT' } : { type: 'authorization_code', code: r.code, refreshToken: null }) : null,
    retryKey: r.key,
    decision: { kind: 'scheduled', index: 0, action: 'ok' },
    status: r.status,
    responseHeaders: (r.location === null ? {} : { location: r.location }) as Record<string, string>,
    error: r.error,
    nonceDelivered: r.nonce,
    issuedTokenId: r.issuesToken ? 't0' : null,
    issuedSessionId: r.issuesSession,
  }));
  const issuer = entries.find((e) => e.issuedTokenId !== null)?.seq ?? 0;
  return {
    asOrigin: 'http://127.0.0.1:1',
    elsewhereOrigin: null,
    mcpOrigin: 'http://127.0.0.1:2',
    tokenEndpoint: 'http://127.0.0.1:1/token',
    mcpUrl: 'http://127.0.0.1:2/mcp',
    entries,
    tokens: [{ id: 't0', accessToken: 'AT', tokenType, jkt: 'k', refreshToken: 'RT', seq: issuer, grantType: 'authorization_code', expiresAt: 0, family: 'f0' }],
    nonces: entries.filter((e) => e.nonceDelivered !== null).map((e) => ({ server: e.server, value: e.nonceDelivered!, seq: e.seq, generation: e.seq })),
    refused: [],
    capped,
  };
}

test.prop([fc.array(entryArb, { maxLength: 25 }), fc.constantFrom('DPoP', 'dpop', 'Bearer', 'N_A'), fc.boolean(), fc.integer({ min: -1, max: 2 })], {
  seed: 1932,
  numRuns: 300,
})('every check returns a verdict about existing entries for any recorded traffic', (raw, tokenType, capped, exitCode) => {
  const trace = toTrace(raw, tokenType, capped);
  const results = judge({
    trace,
    schedule: BASE_SCHEDULE,
    outcome: { exitCode, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1 },
    options: DEFAULT_JUDGE_OPTIONS,
  });
  expect(results.map((r) => r.id)).toEqual(CHECK_IDS);
  for (const r of results) {
    expect(['SUCCESS', 'FAILURE', 'WARNING', 'SKIPPED']).toContain(r.status);
    expect(r.message.length).toBeGreaterThan(0);
    for (const seq of r.evidence) expect(seq).toBeLessThan(Math.max(raw.length, 1));
  }
});
