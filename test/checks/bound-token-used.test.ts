/**
 * sep-1932-client-bound-token-used on synthetic traces: each verdict with its
 * exact message and evidence, including the plain bearer flow no broken
 * client of the catalogue produces (its fault sends the Bearer scheme with a
 * proof, which is dpop-auth-scheme's finding).
 */
import { describe, expect, it } from 'vitest';
import { boundTokenUsed } from '../../src/checks/bound-token-used.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-bound-token-used';

describe('sep-1932-client-bound-token-used (RFC 9449 §5, RFC 6749 §5.1)', () => {
  it('fails a DPoP-bound token presented as a plain bearer token: Bearer scheme, no proof', () => {
    const b = new TraceBuilder('dpop');
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'DPoP', proof: { jti: 'm-1' } });
    b.add({ at: 4, done: 5, token: 'AT1', scheme: 'Bearer', proof: null });
    expect(boundTokenUsed(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: 'A token issued with token_type "dpop" was used as a plain bearer token (no DPoP scheme, no proof).',
      evidence: [2],
    });
  });

  it('passes the DPoP scheme with a proof, citing every presentation, whatever the spelling of DPoP', () => {
    const b = new TraceBuilder('DPOP');
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'dpop', proof: { jti: 'm-1' } });
    b.add({ at: 4, done: 5, token: 'AT1', scheme: 'DPoP', proof: { jti: 'm-2' } });
    expect(boundTokenUsed(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'Tokens issued as DPOP were used as DPoP-bound tokens.', evidence: [1, 2] });
  });

  it('fails an altered copy of the issued token (cut at "="), citing the issuing response and the request', () => {
    const b = new TraceBuilder();
    withToken(b, 'AT1==');
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    expect(boundTokenUsed(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 request(s) presented an altered copy of an issued access token (first: #1, of the token from #0); send the token exactly as received.',
      evidence: [0, 1],
    });
  });

  it('does not judge a token this run never issued and that is no copy of one (e.g. from an earlier run)', () => {
    const b = new TraceBuilder();
    withToken(b, 'AT1');
    b.add({ at: 2, done: 3, token: 'OTHER', proof: { jti: 'm-1' }, status: 401, error: 'invalid_token' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2' } });
    expect(boundTokenUsed(b.input()).status).toBe('SUCCESS');
  });

  it('skips a run without a DPoP-bound token, and one where the token was never presented', () => {
    const bearer = new TraceBuilder('Bearer');
    withToken(bearer);
    expect(boundTokenUsed(bearer.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No DPoP-bound token was issued in this run.', evidence: [] });
    const unused = new TraceBuilder();
    withToken(unused);
    expect(boundTokenUsed(unused.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'The client never presented its DPoP-bound token.', evidence: [] });
  });

  it('leaves a DPoP-scheme presentation without a proof to fresh-proof: no bearer flow', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'DPoP', proof: null });
    expect(boundTokenUsed(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'Tokens issued as DPoP were used as DPoP-bound tokens.', evidence: [1] });
  });

  it('names every spelling of the token type issued in the run', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2' }, issuesToken: 'AT2', issuedTokenType: 'dpop' });
    b.add({ at: 4, done: 5, token: 'AT2', proof: { jti: 'm-1' } });
    expect(boundTokenUsed(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'Tokens issued as DPoP, dpop were used as DPoP-bound tokens.', evidence: [2] });
  });

  it('does not call a token altered when it is exactly one the AS issued, even if it is a piece of another', () => {
    const b = new TraceBuilder();
    withToken(b, 'AT1==');
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2' }, issuesToken: 'AT1' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-1' } });
    expect(boundTokenUsed(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'Tokens issued as DPoP were used as DPoP-bound tokens.', evidence: [2] });
  });

  it('does not call a token altered from one the AS issued only later (a request cannot copy what it has not received)', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, token: 'AT1', proof: { jti: 'm-1' }, status: 401, error: 'invalid_token' });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-1' }, issuesToken: 'AT1==' });
    expect(boundTokenUsed(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'The client never presented its DPoP-bound token.', evidence: [] });
  });
});
