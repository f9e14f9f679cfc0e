/**
 * sep-1932-client-dpop-auth-scheme on synthetic traces: each verdict with its
 * exact message and evidence (RFC 9449 §7.1/§7.2, SEP-1932).
 */
import { describe, expect, it } from 'vitest';
import { dpopAuthScheme } from '../../src/checks/dpop-auth-scheme.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-dpop-auth-scheme';

describe('sep-1932-client-dpop-auth-scheme (RFC 9449 §7.1, §7.2)', () => {
  it('fails an Authorization header that is not "<scheme> <token>" (RFC 9449 §7.1), quoting the first 60 characters', () => {
    // A bare 70-character token without a scheme: longer than the quote, so the message shows a cut copy.
    const bare = '0123456789'.repeat(7);
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, malformedAuthorization: bare, proof: { jti: 'm-1' }, status: 401 });
    b.add({ at: 4, done: 5, malformedAuthorization: 'DPoP', proof: { jti: 'm-2' }, status: 401 });
    expect(dpopAuthScheme(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '2 request(s) sent an Authorization header that is not "<scheme> <token>" (first: "012345678901234567890123456789012345678901234567890123456789").',
      evidence: [1, 2],
    });
  });

  describe('a token typed Bearer presented with the scheme "dpop" and no proof (RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens)', () => {
    function bearerAsDpop() {
      const b = new TraceBuilder('Bearer');
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', scheme: 'dpop', proof: null, status: 401, error: 'invalid_token' });
      return b;
    }

    it('fails it where the resource does not require bound tokens', () => {
      const optional = scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: false } });
      expect(dpopAuthScheme({ ...bearerAsDpop().input(), schedule: optional })).toEqual({
        id: ID,
        status: 'FAILURE',
        message: '1 request(s) presented a token issued with token_type "Bearer" (not DPoP-bound) with the DPoP scheme; an unbound token is a bearer token.',
        evidence: [1],
      });
    });

    const required = scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: true } });

    it('leaves it to bound-tokens-required once the client has read that the resource requires bound tokens (RFC 9728 §2: one bug, one finding)', () => {
      const b = new TraceBuilder('Bearer');
      b.add({ endpoint: 'prm', method: 'GET', at: 0, done: 1 });
      b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-1' }, issuesToken: 'AT1' });
      b.add({ at: 4, done: 5, token: 'AT1', scheme: 'dpop', proof: null, status: 401, error: 'invalid_token' });
      expect(dpopAuthScheme({ ...b.input(), schedule: required })).toEqual({
        id: ID,
        status: 'SKIPPED',
        message: 'The client never presented a DPoP-bound token to the MCP server.',
        evidence: [],
      });
    });

    it('fails it where the resource requires bound tokens but the client had not read so yet (no gap between the two checks)', () => {
      expect(dpopAuthScheme({ ...bearerAsDpop().input(), schedule: required })).toEqual({
        id: ID,
        status: 'FAILURE',
        message: '1 request(s) presented a token issued with token_type "Bearer" (not DPoP-bound) with the DPoP scheme; an unbound token is a bearer token.',
        evidence: [1],
      });
    });
  });

  it('fails a DPoP-bound token sent with other schemes, naming each spelling once (SEP-1932: DPoP only)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'Bearer', proof: { jti: 'm-1' } });
    b.add({ at: 4, done: 5, token: 'AT1', scheme: 'bearer', proof: { jti: 'm-2' } });
    b.add({ at: 6, done: 7, token: 'AT1', scheme: 'Bearer', proof: { jti: 'm-3' } });
    expect(dpopAuthScheme(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '3 request(s) presented a DPoP-bound token with the Bearer, bearer scheme instead of DPoP.',
      evidence: [1, 2, 3],
    });
  });

  describe('--profile rfc9449 (RFC 9449 §7.2: Bearer may answer a Bearer-only challenge)', () => {
    it('fails a Bearer presentation made before any Bearer-only challenge, although a later one is tolerated', () => {
      const b = new TraceBuilder();
      withToken(b);
      // #1 is answered with the Bearer-only challenge; it did not follow one itself.
      b.add({ at: 2, done: 3, token: 'AT1', scheme: 'Bearer', proof: null, status: 401, challenge: 'Bearer realm="mcp"' });
      b.add({ at: 4, done: 5, token: 'AT1', scheme: 'Bearer', proof: null });
      expect(dpopAuthScheme(b.input({}, { profile: 'rfc9449' }))).toEqual({
        id: ID,
        status: 'FAILURE',
        message: '1 request(s) presented a DPoP-bound token with the Bearer scheme instead of DPoP.',
        evidence: [1],
      });
    });

    it('passes DPoP, then Bearer after a Bearer-only challenge, counting each kind', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', scheme: 'DPoP', proof: { jti: 'm-1' }, status: 401, challenge: 'Bearer realm="mcp"' });
      b.add({ at: 4, done: 5, token: 'AT1', scheme: 'Bearer', proof: null });
      expect(dpopAuthScheme(b.input({}, { profile: 'rfc9449' }))).toEqual({
        id: ID,
        status: 'SUCCESS',
        message: '1 request(s) presented the token with the DPoP scheme and 1 with Bearer after a Bearer-only challenge, which --profile rfc9449 allows (RFC 9449 §7.2).',
        evidence: [1, 2],
      });
    });
  });
});
