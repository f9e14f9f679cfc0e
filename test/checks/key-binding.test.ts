/**
 * sep-1932-client-key-binding on synthetic traces, for refreshes: RFC 9449 §5
 * binds a refresh token (of a public client) to the key of the token request
 * that obtained it, so each refresh is judged against that request's key.
 */
import { describe, expect, it } from 'vitest';
import { keyBinding } from '../../src/checks/key-binding.ts';
import { KEY, TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-key-binding';
const refresh = (refreshToken: string | null) => ({ type: 'refresh_token', code: null, refreshToken });

describe('sep-1932-client-key-binding (RFC 9449 §5, §6.1)', () => {
  it('§5 fails a refresh signed by another key than the refresh token\'s, counting the resource proof too', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, issuesToken: 'AT1', issuesRefresh: 'R1' });
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'as-2', jkt: 'jkt-other' }, grant: refresh('R1'), issuesToken: 'AT2' });
    expect(keyBinding(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: `1 of 2 proof(s) used the wrong key; refresh #2 was signed by key jkt-other, the refresh token belongs to ${KEY}.`,
      evidence: [2],
    });
  });

  it('§5 judges a refresh against the key of its own token request (a new authorization may use a new key); a code grant with a stray refresh_token is no refresh', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, issuesToken: 'AT1', issuesRefresh: 'R1' });
    // A second authorization with a fresh key; the refresh_token parameter is ignored on a code grant (RFC 6749 §4.1.3).
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2', jkt: 'jkt-2' }, grant: { type: 'authorization_code', code: 'c2', refreshToken: 'R1' }, issuesToken: 'AT2', issuesRefresh: 'R2' });
    b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'as-3', jkt: 'jkt-2' }, grant: refresh('R2'), issuesToken: 'AT3' });
    expect(keyBinding(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'All 1 proof(s) were signed by the bound key.', evidence: [] });
  });

  it('§5 skips refreshes it cannot tie to a key: a refresh token this run never issued, a refresh grant without one, and code grants', () => {
    const b = new TraceBuilder();
    withToken(b);
    // E.g. a refresh token cached from an earlier run: the key it belongs to is unknown here.
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2', jkt: 'jkt-other' }, grant: refresh('R-earlier-run'), status: 400, error: 'invalid_grant' });
    b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'as-3' }, grant: refresh(null), status: 400, error: 'invalid_request' });
    expect(keyBinding(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No bound token or refresh token was used with a proof.', evidence: [] });
  });
});
