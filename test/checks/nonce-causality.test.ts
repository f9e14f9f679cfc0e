import { describe, expect, it } from 'vitest';
import { newestNonce } from '../../src/checks/newest-nonce.ts';
import { rsNonce } from '../../src/checks/rs-nonce.ts';
import { asNonce } from '../../src/checks/as-nonce.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

describe('sep-1932-client-newest-nonce under overlapping requests', () => {
  it('does not blame a request that overlapped the response that rotated the nonce', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, issuesSession: 'S', nonce: 'N1' });
    // Two concurrent requests built with N1; A's response rotates to N2 before B arrives.
    b.add({ at: 30, done: 40, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, session: 'S', nonce: 'N2' });
    b.add({ at: 45, done: 50, token: 'AT1', proof: { jti: 'c', nonce: 'N1' }, session: 'S' });
    expect(newestNonce(b.input()).status).toBe('SUCCESS');
  });

  it('fails a request that provably followed the rotating response (it carries the session it minted)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1', key: 'init0' });
    b.add({ at: 21, done: 30, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, key: 'init', issuesSession: 'S', nonce: 'N2' });
    const stale = b.add({ at: 31, done: 40, token: 'AT1', proof: { jti: 'c', nonce: 'N1' }, session: 'S' });
    const r = newestNonce(b.input());
    expect(r.status).toBe('FAILURE');
    expect(r.evidence).toContain(stale);
  });

  it('does not blame an older nonce that an overlapping response delivered last (answers released out of order)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, issuesSession: 'S' });
    // A POST and a concurrent GET are both challenged with N1.
    b.add({ at: 30, done: 35, token: 'AT1', proof: { jti: 'b' }, session: 'S', status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'post' });
    b.add({ at: 31, done: 45, token: 'AT1', proof: { jti: 'c' }, session: 'S', status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'get', method: 'GET' });
    // The POST's retry is challenged again with N2, answered before the GET's N1 reaches the client.
    b.add({ at: 36, done: 40, token: 'AT1', proof: { jti: 'd', nonce: 'N1' }, session: 'S', status: 401, error: 'use_dpop_nonce', nonce: 'N2', key: 'post' });
    b.add({ at: 41, done: 50, token: 'AT1', proof: { jti: 'e', nonce: 'N2' }, session: 'S', key: 'post', issuesSession: 'S2' });
    // A later request, provably after the N2 challenge (it carries the session minted after it), goes out
    // with N1: the last nonce the client received.
    b.add({ at: 60, done: 70, token: 'AT1', proof: { jti: 'f', nonce: 'N1' }, session: 'S2', key: 'other' });
    expect(newestNonce(b.input()).status).toBe('SUCCESS');
  });

  it('still fails an older nonce when every response that delivered it came before the newer one', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, issuesSession: 'S' });
    b.add({ at: 30, done: 35, token: 'AT1', proof: { jti: 'b' }, session: 'S', status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'post' });
    const supplier = b.add({ at: 36, done: 40, token: 'AT1', proof: { jti: 'd', nonce: 'N1' }, session: 'S', status: 401, error: 'use_dpop_nonce', nonce: 'N2', key: 'post' });
    b.add({ at: 41, done: 50, token: 'AT1', proof: { jti: 'e', nonce: 'N2' }, session: 'S', key: 'post', issuesSession: 'S2' });
    const stale = b.add({ at: 60, done: 70, token: 'AT1', proof: { jti: 'f', nonce: 'N1' }, session: 'S2', key: 'other' });
    const r = newestNonce(b.input());
    expect(r.status).toBe('FAILURE');
    expect(r.evidence).toEqual([supplier, stale]);
  });

  it('fails a nonce the server never issued (mangled at a comma)', () => {
    const b = new TraceBuilder();
    withToken(b);
    const supplier = b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, nonce: 'ab,cd', status: 401, error: 'use_dpop_nonce', key: 'k' });
    const bad = b.add({ at: 21, done: 30, token: 'AT1', proof: { jti: 'b', nonce: 'ab' }, key: 'k' });
    const r = newestNonce(b.input());
    expect(r.status).toBe('FAILURE');
    expect(r.message).toMatch(/mangled copy of the nonce "ab,cd"/);
    expect(r.evidence).toEqual([supplier, bad]);
  });

  it("fails the other server's nonce on separate origins", () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'AS-N', issuesToken: 'AT1' });
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a', nonce: 'AS-N' } });
    expect(newestNonce(b.input()).status).toBe('FAILURE');
  });

  it('is SKIPPED when no nonce was ever supplied', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' } });
    expect(newestNonce(b.input()).status).toBe('SKIPPED');
  });
});

describe('sep-1932-client-rs-nonce and as-nonce', () => {
  it('accepts a retry carrying a nonce newer than the challenged one', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'x' });
    b.add({ at: 12, done: 22, token: 'AT1', proof: { jti: 'b' }, status: 401, error: 'use_dpop_nonce', nonce: 'N2', key: 'y' });
    b.add({ at: 30, done: 40, token: 'AT1', proof: { jti: 'c', nonce: 'N2' }, key: 'x' });
    b.add({ at: 31, done: 41, token: 'AT1', proof: { jti: 'd', nonce: 'N2' }, key: 'y' });
    expect(rsNonce(b.input()).status).toBe('SUCCESS');
  });

  it('fails a retry without the nonce, naming both requests', () => {
    const b = new TraceBuilder();
    withToken(b);
    const challenged = b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'x' });
    const retry = b.add({ at: 30, done: 40, token: 'AT1', proof: { jti: 'b' }, key: 'x' });
    const r = rsNonce(b.input());
    expect(r.status).toBe('FAILURE');
    expect(r.evidence).toEqual([challenged, retry]);
  });

  it('leaves a challenge that was never retried to sep-1932-client-completes', () => {
    const post = new TraceBuilder();
    withToken(post);
    post.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' });
    expect(rsNonce(post.input({ exitCode: 1 })).status).toBe('SUCCESS');
  });

  it('lets a client give up after it retried once (bounded retries)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'x' });
    b.add({ at: 30, done: 40, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, status: 401, error: 'use_dpop_nonce', nonce: 'N2', key: 'x' });
    expect(rsNonce(b.input()).status).toBe('SUCCESS');
  });

  it('does not count an overlapping request as the retry', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 10, proof: { jti: 'a' }, status: 400, error: 'use_dpop_nonce', nonce: 'N1', key: 'tok' });
    // Same body, but it arrived before the challenge was answered: not a retry of it.
    b.add({ server: 'as', at: 5, done: 12, proof: { jti: 'b' }, status: 400, error: 'use_dpop_nonce', nonce: 'N1', key: 'tok' });
    b.add({ server: 'as', at: 20, done: 30, proof: { jti: 'c', nonce: 'N1' }, key: 'tok', issuesToken: 'AT' });
    expect(asNonce(b.input()).status).toBe('SUCCESS');
  });

  it('is SKIPPED without a challenge', () => {
    const b = new TraceBuilder();
    withToken(b);
    expect(asNonce(b.input()).status).toBe('SKIPPED');
  });
});
