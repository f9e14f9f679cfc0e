import { describe, expect, it } from 'vitest';
import { boundedRetries } from '../../src/checks/bounded-retries.ts';
import { dpopAuthScheme } from '../../src/checks/dpop-auth-scheme.ts';
import { freshProofOnRetry } from '../../src/checks/fresh-proof-on-retry.ts';
import { freshProof } from '../../src/checks/fresh-proof.ts';
import { invalidProofNoBlindRetry } from '../../src/checks/invalid-proof-no-blind-retry.ts';
import { judge } from '../../src/checks/judge.ts';
import { noFallbackOnInvalidToken } from '../../src/checks/no-fallback-on-invalid-token.ts';
import { uniqueJti } from '../../src/checks/unique-jti.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

describe('sep-1932-client-unique-jti', () => {
  it('fails a jti reused across the two servers', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: '1' }, issuesToken: 'AT1' });
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: '1' } });
    expect(uniqueJti(b.input())).toMatchObject({ status: 'FAILURE', evidence: [0, 1] });
  });

  it('leaves a resend after 503 to fresh-proof-on-retry (WARNING there, not a failure here)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-jti-0123456789' }, issuesToken: 'AT2' });
    b.add({ at: 10, done: 20, token: 'AT2', proof: { jti: 'same-jti-0123456789' }, status: 503, key: 'x' });
    b.add({ at: 30, done: 40, token: 'AT2', proof: { jti: 'same-jti-0123456789' }, key: 'x' });
    const input = b.input();
    expect(uniqueJti(input).status).toBe('SUCCESS');
    expect(freshProof(input).status).toBe('SUCCESS');
    expect(freshProofOnRetry(input).status).toBe('WARNING');
  });
});

describe('sep-1932-client-unique-jti entropy', () => {
  it('warns on a jti too short for 96 random bits and accepts 12 characters and more', () => {
    const short = new TraceBuilder();
    short.add({ server: 'as', at: 0, done: 1, proof: { jti: 'abcdefghijk' }, issuesToken: 'AT1' });
    expect(uniqueJti(short.input())).toMatchObject({ status: 'WARNING', evidence: [0] });
    const long = new TraceBuilder();
    long.add({ server: 'as', at: 0, done: 1, proof: { jti: 'abcdefghijkl' }, issuesToken: 'AT1' });
    expect(uniqueJti(long.input()).status).toBe('SUCCESS');
  });
});

describe('sep-1932-client-bounded-retries', () => {
  const chain = (retries: number) => {
    const b = new TraceBuilder();
    withToken(b);
    for (let i = 0; i <= retries; i++) {
      b.add({ at: 10 + i * 10, done: 15 + i * 10, token: 'AT1', proof: { jti: `j${i}`, ...(i > 0 ? { nonce: `N${i - 1}` } : {}) }, status: 401, error: 'use_dpop_nonce', nonce: `N${i}`, key: 'x' });
    }
    return b;
  };
  it('passes at the limit and fails one past it', () => {
    expect(boundedRetries(chain(5).input({}, { maxRetries: 5 })).status).toBe('SUCCESS');
    expect(boundedRetries(chain(6).input({}, { maxRetries: 5 })).status).toBe('FAILURE');
  });
  it('counts per request: concurrent challenged requests are not one streak', () => {
    const b = new TraceBuilder();
    withToken(b);
    for (let i = 0; i < 8; i++) b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: `j${i}` }, status: 401, error: 'use_dpop_nonce', nonce: `N${i}`, key: `k${i}` });
    expect(boundedRetries(b.input({}, { maxRetries: 1 })).status).toBe('SUCCESS');
  });
});

describe('sep-1932-client-dpop-auth-scheme and the profile', () => {
  const bearerAfterBearerOnlyChallenge = () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, challenge: 'Bearer resource_metadata="x"', decision: { kind: 'unauthenticated' } });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as' }, issuesToken: 'AT1' });
    b.add({ at: 10, done: 20, token: 'AT1', scheme: 'Bearer', proof: { jti: 'a' } });
    return b;
  };
  it('fails Bearer under sep-1932 and tolerates it under rfc9449 after a Bearer-only challenge', () => {
    expect(dpopAuthScheme(bearerAfterBearerOnlyChallenge().input()).status).toBe('FAILURE');
    expect(dpopAuthScheme(bearerAfterBearerOnlyChallenge().input({}, { profile: 'rfc9449' })).status).toBe('SUCCESS');
  });
  it('still fails Bearer under rfc9449 when the challenge offered DPoP', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, challenge: 'Bearer realm="x", DPoP algs="ES256"', decision: { kind: 'unauthenticated' } });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as' }, issuesToken: 'AT1' });
    b.add({ at: 10, done: 20, token: 'AT1', scheme: 'Bearer', proof: { jti: 'a' } });
    expect(dpopAuthScheme(b.input({}, { profile: 'rfc9449' })).status).toBe('FAILURE');
  });
  it('warns on an odd-case scheme spelling', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', scheme: 'dpop', proof: { jti: 'a' } });
    expect(dpopAuthScheme(b.input()).status).toBe('WARNING');
  });
});

describe('sep-1932-client-no-fallback-on-invalid-token', () => {
  it('fails a retry that drops the proof after invalid_token, and ignores requests that merely overlapped', () => {
    const b = new TraceBuilder();
    withToken(b);
    const trigger = b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'invalid_token', key: 'x' });
    const overlap = new TraceBuilder();
    withToken(overlap);
    overlap.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'invalid_token', key: 'x' });
    overlap.add({ at: 25, done: 30, token: 'AT1', proof: null, key: 'y' });
    expect(noFallbackOnInvalidToken(overlap.input()).status).toBe('SUCCESS');
    const retry = b.add({ at: 30, done: 40, token: 'AT1', proof: null, key: 'x' });
    expect(noFallbackOnInvalidToken(b.input())).toMatchObject({ status: 'FAILURE', evidence: [trigger, retry] });
  });

  it('links a session DELETE resent after invalid_token to it (one termination per session), but not a GET stream', () => {
    const downgrade = (method: 'DELETE' | 'GET') => {
      const b = new TraceBuilder();
      withToken(b);
      const trigger = b.add({ method, at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, session: 'S', status: 401, error: 'invalid_token', key: 'end' });
      b.add({ server: 'as', at: 21, done: 22, proof: { jti: 'r' }, issuesToken: 'AT2' });
      const retry = b.add({ method, at: 30, done: 40, token: 'AT2', scheme: 'Bearer', proof: { jti: 'b' }, session: 'S', key: 'end' });
      return { input: b.input(), trigger, retry };
    };
    const del = downgrade('DELETE');
    expect(noFallbackOnInvalidToken(del.input)).toMatchObject({ status: 'FAILURE', evidence: [del.trigger, del.retry] });
    // Two GET streams of one session may be concurrent twins: arriving later proves nothing.
    expect(noFallbackOnInvalidToken(downgrade('GET').input).status).toBe('SUCCESS');
  });
});

describe('sep-1932-client-invalid-proof-no-blind-retry', () => {
  const rejected = () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, status: 400, error: 'invalid_dpop_proof', key: 't' });
    return b;
  };
  it('fails a client that exits 0 after an unrecovered rejection', () => {
    expect(invalidProofNoBlindRetry(rejected().input({ exitCode: 0 })).status).toBe('FAILURE');
  });
  it('passes a client that exits non-zero naming the error, warns when it does not name it', () => {
    expect(invalidProofNoBlindRetry(rejected().input({ exitCode: 1, stderr: 'error: token request failed: invalid_dpop_proof' })).status).toBe('SUCCESS');
    expect(invalidProofNoBlindRetry(rejected().input({ exitCode: 1, stderr: 'error: something went wrong' })).status).toBe('WARNING');
  });
  it('fails a resend of the rejected proof and a loop', () => {
    const resend = rejected();
    resend.add({ server: 'as', at: 5, done: 6, proof: { jti: 'a' }, status: 400, error: 'invalid_dpop_proof', key: 't' });
    expect(invalidProofNoBlindRetry(resend.input({ exitCode: 1, stderr: 'invalid_dpop_proof' })).message).toMatch(/resent/);
    const loop = rejected();
    for (let i = 1; i <= 4; i++) loop.add({ server: 'as', at: i * 10, done: i * 10 + 1, proof: { jti: `a${i}` }, status: 400, error: 'invalid_dpop_proof', key: 't' });
    expect(invalidProofNoBlindRetry(loop.input({ exitCode: 1, stderr: 'invalid_dpop_proof' }, { maxRetries: 3 })).message).toMatch(/loop/);
  });
  it('passes a client that recovered and succeeded', () => {
    const b = rejected();
    b.add({ server: 'as', at: 5, done: 6, proof: { jti: 'b' }, key: 't2', issuesToken: 'AT' });
    expect(invalidProofNoBlindRetry(b.input({ exitCode: 0 })).status).toBe('SUCCESS');
  });
});

describe('judge', () => {
  it('is a pure function of its input', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' } });
    const input = b.input();
    const frozen = structuredClone(input);
    expect(judge(input)).toEqual(judge(frozen));
    expect(input).toEqual(frozen);
  });
});
