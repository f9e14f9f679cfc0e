/**
 * sep-1932-client-token-request-proof on synthetic traces: the whole verdict
 * for a run without token requests, a token request without a DPoP header (and
 * without grant_type), a proof with several claim problems, and legal
 * spellings strict servers refuse.
 */
import { describe, expect, it } from 'vitest';
import { tokenRequestProof } from '../../src/checks/token-request-proof.ts';
import { AS, TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-token-request-proof';

describe('sep-1932-client-token-request-proof (RFC 9449 §5, §4.2, §4.3)', () => {
  it('is SKIPPED when the client made no token request: only sent proofs are judged', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' } });
    expect(tokenRequestProof(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'The client made no token request.', evidence: [] });
  });

  it('fails a token request without a DPoP header (RFC 9449 §5), labelled "no grant" when its body had no grant_type', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: null, status: 400, error: 'invalid_request' });
    withToken(b);
    const input = b.input();
    // The builder always fills in a grant; the recorder leaves it null when the form has no grant_type.
    const trace = { ...input.trace, entries: input.trace.entries.map((e) => (e.seq === 0 ? { ...e, grant: null } : e)) };
    expect(tokenRequestProof({ ...input, trace })).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 of 2 token request(s) had no valid DPoP proof; #0 (no grant): no DPoP header.',
      evidence: [0],
    });
  });

  it('names every claim problem of the first bad proof: htm and htu of another request (RFC 9449 §4.3 checks 8 and 9)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a', htm: 'GET', htu: `${AS}/authorize` }, grant: { type: 'refresh_token', code: null, refreshToken: 'RT' } });
    expect(tokenRequestProof(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: `1 of 1 token request(s) had no valid DPoP proof; #0 (refresh_token): htm claim "GET" does not match the request method "POST"; htu claim "${AS}/authorize" does not match the request URI "${AS}/token".`,
      evidence: [0],
    });
  });

  it('warns, never fails, on legal spellings strict servers refuse, listing every note of the first noted proof (RFC 7515 §4.1.9)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2' }, grant: { type: 'refresh_token', code: null, refreshToken: 'RT' }, issuesToken: 'AT2' });
    const input = b.input();
    const typ = 'typ application/dpop+jwt is dpop+jwt per RFC 7515 §4.1.9, but servers that compare bytes refuse it; send exactly dpop+jwt';
    // A second note on one proof (the recorder notes only typ today; the list allows more).
    const other = 'another legal spelling';
    const notes: Record<number, string[]> = { 0: [typ, other], 1: [typ] };
    const trace = { ...input.trace, entries: input.trace.entries.map((e) => (e.proof ? { ...e, proof: { ...e.proof, notes: notes[e.seq] } } : e)) };
    expect(tokenRequestProof({ ...input, trace })).toEqual({
      id: ID,
      status: 'WARNING',
      message: `2 proof(s) are valid but spelled so that strict servers refuse them; #0: ${typ}; ${other}.`,
      evidence: [0, 1],
    });
  });
});
