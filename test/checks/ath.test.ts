/**
 * sep-1932-client-ath on synthetic traces: only proofs sent with a token are
 * judged, and the message says which of the two faults the first one had.
 */
import { describe, expect, it } from 'vitest';
import { ath } from '../../src/checks/ath.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-ath';

describe('sep-1932-client-ath (RFC 9449 §4.2, §7)', () => {
  it('does not ask for ath in a proof sent without a token (first contact, RFC 9449 §4.2: only "when used with an access token")', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, proof: { jti: 'm-0' }, status: 401 });
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    expect(ath(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'ath matched the presented token in all 1 proof(s).', evidence: [2] });
  });

  it('fails a proof with a token and no ath claim, naming that fault', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', ath: null } });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'm-3', ath: 'wrong' } });
    expect(ath(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '2 of 3 proof(s) sent with a token had no ath claim (first: #2).',
      evidence: [2, 3],
    });
  });

  it('fails a proof whose ath hashes something else, naming that fault', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', ath: 'wrong' } });
    expect(ath(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 of 1 proof(s) sent with a token had an ath that is not base64url(SHA-256(token)) (first: #1).',
      evidence: [1],
    });
  });
});
