/**
 * sep-1932-client-no-fallback-on-invalid-token on synthetic traces: the
 * rfc9449 profile's Bearer tolerance (only the Bearer scheme, only after a
 * Bearer-only challenge) and which answers count as the invalid_token trigger.
 */
import { describe, expect, it } from 'vitest';
import { dpopAuthScheme } from '../../src/checks/dpop-auth-scheme.ts';
import { noFallbackOnInvalidToken } from '../../src/checks/no-fallback-on-invalid-token.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-no-fallback-on-invalid-token';

/** A DPoP request answered 401 invalid_token with `challenge` (#1), then its retry (#2) presenting the same bound token. */
function retryAfterInvalidToken(challenge: string, scheme: string, proof: { jti: string } | null) {
  const b = new TraceBuilder();
  withToken(b);
  b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'invalid_token', challenge, key: 'x' });
  b.add({ at: 30, done: 40, token: 'AT1', scheme, proof, key: 'x' });
  return b.input({}, { profile: 'rfc9449' });
}

describe('sep-1932-client-no-fallback-on-invalid-token (RFC 9449 §7.2, SEP-1932)', () => {
  it('under rfc9449, tolerates the Bearer scheme after a Bearer-only challenge but not the DPoP scheme without a proof (RFC 9449 §7.2)', () => {
    const bearerOnly = 'Bearer error="invalid_token"';
    expect(noFallbackOnInvalidToken(retryAfterInvalidToken(bearerOnly, 'Bearer', null))).toEqual({
      id: ID,
      status: 'SUCCESS',
      message:
        'After 1 invalid_token answer(s) the client kept the DPoP scheme and proof, but for 1 Bearer request(s) after a Bearer-only challenge, which --profile rfc9449 allows (RFC 9449 §7.2).',
      evidence: [1],
    });
    // §7.2 lets a client fall back to Bearer; a DPoP presentation always carries a proof (§7.1).
    expect(noFallbackOnInvalidToken(retryAfterInvalidToken(bearerOnly, 'DPoP', null))).toEqual({
      id: ID,
      status: 'FAILURE',
      message: 'After invalid_token on #1, #2 POST mcp (tools/list) presented a bound token with no DPoP proof.',
      evidence: [1, 2],
    });
  });

  it('under rfc9449, fails the Bearer scheme after a challenge that offered DPoP (the §7.2 tolerance needs a Bearer-only challenge)', () => {
    const offersDpop = 'DPoP error="invalid_token", algs="ES256"';
    expect(noFallbackOnInvalidToken(retryAfterInvalidToken(offersDpop, 'Bearer', null))).toEqual({
      id: ID,
      status: 'FAILURE',
      message: 'After invalid_token on #1, #2 POST mcp (tools/list) presented a bound token with the Bearer scheme.',
      evidence: [1, 2],
    });
  });

  it('under rfc9449, reads a 401 without any challenge as no Bearer-only challenge, agreeing with dpop-auth-scheme (one rule for both)', () => {
    const noChallenge = retryAfterInvalidToken('', 'Bearer', null);
    expect(noFallbackOnInvalidToken(noChallenge)).toEqual({
      id: ID,
      status: 'FAILURE',
      message: 'After invalid_token on #1, #2 POST mcp (tools/list) presented a bound token with the Bearer scheme.',
      evidence: [1, 2],
    });
    expect(dpopAuthScheme(noChallenge).status).toBe('FAILURE');
  });

  it('takes neither a 401 invalid_token to a request without a proof nor a 403 naming invalid_token as the trigger (RFC 6750 §3.1: invalid_token is a 401 to a correct presentation)', () => {
    const b = new TraceBuilder();
    withToken(b);
    // The missing proof was there before the answer: fresh-proof's finding, no fallback.
    b.add({ at: 10, done: 20, token: 'AT1', proof: null, status: 401, error: 'invalid_token', key: 'x' });
    b.add({ at: 21, done: 22, token: 'AT1', proof: { jti: 'a' }, status: 403, error: 'invalid_token', key: 'y' });
    b.add({ at: 30, done: 40, token: 'AT1', proof: null, key: 'x' });
    expect(noFallbackOnInvalidToken(b.input())).toEqual({
      id: ID,
      status: 'SKIPPED',
      message: 'No correctly presented DPoP request was answered with invalid_token.',
      evidence: [],
    });
  });
});
