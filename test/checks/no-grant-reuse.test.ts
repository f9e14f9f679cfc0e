/**
 * sep-1932-client-no-grant-reuse on synthetic traces: the whole verdict for
 * a code used three times, for a code in flight twice (one request never
 * answered), for several reused grants at once, and for token requests that
 * present no grant artifact at all.
 */
import { describe, expect, it } from 'vitest';
import { noGrantReuse } from '../../src/checks/no-grant-reuse.ts';
import { TraceBuilder } from './trace-builder.ts';

const ID = 'sep-1932-client-no-grant-reuse';
const code = (c: string) => ({ type: 'authorization_code', code: c, refreshToken: null });
const refresh = (rt: string) => ({ type: 'refresh_token', code: null, refreshToken: rt });

describe('sep-1932-client-no-grant-reuse (RFC 6749 §4.1.2, §6; RFC 9700 §4.14.2)', () => {
  it('calls a code sent the very millisecond its redeeming answer went out a later use, not a parallel one, and counts all three uses (RFC 6749 §4.1.2)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: code('C1'), issuesToken: 'AT1' });
    b.add({ server: 'as', at: 1, done: 2, proof: { jti: 'b' }, grant: code('C1'), status: 400, error: 'invalid_grant' });
    b.add({ server: 'as', at: 3, done: 4, proof: { jti: 'c' }, grant: code('C1'), status: 400, error: 'invalid_grant' });
    expect(noGrantReuse(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '#1 POST token presented the authorization code that #0 POST token had already redeemed; 3 token requests used it (#0, #1, #2).',
      evidence: [0, 1, 2],
    });
  });

  it('fails a code sent twice at once, the first never answered before the run ended, and adds a rotated refresh token reused as one more (RFC 6749 §4.1.2, §6; RFC 9700 §4.14.2)', () => {
    const b = new TraceBuilder();
    // Still in flight at the end (status 0): not refused before the code was redeemed, so it may have spent it too.
    b.add({ server: 'as', at: 0, done: 0, proof: { jti: 'a' }, grant: code('C1'), status: 0 });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'b' }, grant: code('C1'), issuesToken: 'AT1', issuesRefresh: 'RT1' });
    b.add({ server: 'as', at: 10, done: 11, proof: { jti: 'c' }, grant: refresh('RT1'), issuesToken: 'AT2', issuesRefresh: 'RT2' });
    b.add({ server: 'as', at: 20, done: 21, proof: { jti: 'd' }, grant: refresh('RT1'), status: 400, error: 'invalid_grant' });
    expect(noGrantReuse(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '#0 POST token and #1 POST token used one authorization code in parallel (and 1 more).',
      evidence: [0, 1, 2, 3],
    });
  });

  it('does not count an attempt refused the very millisecond the redeeming request arrived: it spent nothing (RFC 9449 §8 retry)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 5, proof: { jti: 'a' }, grant: code('C1'), status: 400, error: 'use_dpop_nonce', nonce: 'A1' });
    b.add({ server: 'as', at: 5, done: 6, proof: { jti: 'b', nonce: 'A1' }, grant: code('C1'), issuesToken: 'AT1' });
    expect(noGrantReuse(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: '1 code(s) and refresh token(s), each redeemed at most once.', evidence: [0, 1] });
  });

  it('does not judge a refresh token this run never issued (an earlier run\'s cache), even presented again after it was rotated', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: refresh('RT-OLD'), issuesToken: 'AT1', issuesRefresh: 'RT2' });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'b' }, grant: refresh('RT-OLD'), status: 400, error: 'invalid_grant' });
    expect(noGrantReuse(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: '1 code(s) and refresh token(s), each redeemed at most once.', evidence: [0, 1] });
  });

  it('is SKIPPED when no token request presented a code or a refresh token (RFC 6749 §4.4 client_credentials)', () => {
    const b = new TraceBuilder();
    const clientCredentials = { type: 'client_credentials', code: null, refreshToken: null };
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: clientCredentials, issuesToken: 'AT1' });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'b' }, grant: clientCredentials, issuesToken: 'AT2' });
    expect(noGrantReuse(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No token request presented a code or refresh token.', evidence: [] });
  });
});
