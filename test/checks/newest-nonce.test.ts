/**
 * sep-1932-client-newest-nonce on synthetic traces, beyond the interleavings
 * of nonce-causality.test.ts: which requests it judges, how it words and cites
 * several findings, what it leaves to rs-nonce, and where each finding's
 * nonce came from.
 */
import { describe, expect, it } from 'vitest';
import { newestNonce } from '../../src/checks/newest-nonce.ts';
import { MCP, TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-newest-nonce';
const OTHER_SERVERS_NONCE = '#1 POST mcp (tools/list) carried the other server\'s nonce "AS-N" (from #0); nonces belong to the server that issued them.';

describe('sep-1932-client-newest-nonce (RFC 9449 §8.2, §9)', () => {
  it('§8.2/§9 judge DPoP proofs to the token and MCP endpoints only: a proofless MCP request and a proof sent elsewhere are not judged', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, nonce: 'N1', issuesSession: 'S' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', nonce: 'N1' }, session: 'S' });
    // Both carry the session minted with N1, so they provably followed it, but neither is a
    // proof the MCP server judges: a missing proof is fresh-proof's finding, and a nonce
    // belongs to the proofs of token and resource requests (§8, §9).
    b.add({ at: 6, done: 7, token: 'AT1', proof: null, session: 'S' });
    b.add({ endpoint: 'other', method: 'GET', url: `${MCP}/other`, at: 8, done: 9, proof: { jti: 'm-4' }, session: 'S' });
    expect(newestNonce(b.input())).toEqual({
      id: ID,
      status: 'SUCCESS',
      message: 'Nonces were echoed byte for byte to the server that issued them; 1 request(s) provably after a nonce carried the newest one.',
      evidence: [],
    });
  });

  it('§8.2 has nothing to judge when the client echoed no nonce to the token or MCP endpoint and no request provably followed the one supplied', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 10, token: 'AT1', proof: { jti: 'm-1' }, nonce: 'N1' });
    // Arrived before #1 was answered: it could not have had N1.
    b.add({ at: 5, done: 6, token: 'AT1', proof: { jti: 'm-2' } });
    // N1 in a proof to another endpoint is no echo to the server that asked for it (§9).
    b.add({ endpoint: 'other', method: 'GET', url: `${MCP}/other`, at: 11, done: 12, proof: { jti: 'm-3', nonce: 'N1' } });
    expect(newestNonce(b.input())).toEqual({
      id: ID,
      status: 'SKIPPED',
      message: 'Nonces were supplied, but the client sent none and no request provably followed a nonce-carrying response.',
      evidence: [],
    });
  });

  it('§8.2 names the first of several requests that dropped the nonce, counts the others and cites them all', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, nonce: 'N1', issuesSession: 'S' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2' }, session: 'S' });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'm-3' }, session: 'S' });
    expect(newestNonce(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '#2 POST mcp (tools/list) carried no nonce instead of "N1" (or a newer one) supplied by #1 (and 1 more).',
      evidence: [1, 2, 3],
    });
  });

  it('§9 leaves a stale nonce on the retry after use_dpop_nonce to rs-nonce (one bug, one finding)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, nonce: 'N1', issuesSession: 'S' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', nonce: 'N1' }, session: 'S', key: 'k', status: 401, error: 'use_dpop_nonce', nonce: 'N2' });
    // The retry of #2 resends N1 although the challenge supplied N2: stale, but rs-nonce's to judge.
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'm-3', nonce: 'N1' }, session: 'S', key: 'k' });
    expect(newestNonce(b.input())).toEqual({
      id: ID,
      status: 'SUCCESS',
      message: 'Nonces were echoed byte for byte to the server that issued them; 1 request(s) provably after a nonce carried the newest one.',
      evidence: [],
    });
  });

  it("§9 cites the response that delivered the other server's nonce: FAILURE on separate origins, WARNING on a shared one", () => {
    for (const sameOrigin of [false, true]) {
      const b = new TraceBuilder('DPoP', { sameOrigin });
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'AS-N', issuesToken: 'AT1' });
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', nonce: 'AS-N' } });
      // On one origin a client may keep one nonce per origin, so the AS's nonce is only suspicious.
      expect(newestNonce(b.input())).toEqual({ id: ID, status: sameOrigin ? 'WARNING' : 'FAILURE', message: OTHER_SERVERS_NONCE, evidence: [0, 1] });
    }
  });

  it('§8.2 cites the response whose nonce was mangled even when no request provably followed it', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, nonce: 'ab,cd' });
    // "ab" links to no response (no server issued it), so there is no floor; it is still a cut copy of #1's nonce.
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', nonce: 'ab' } });
    expect(newestNonce(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '#2 POST mcp (tools/list) carried "ab", a mangled copy of the nonce "ab,cd" from #1; echo DPoP-Nonce byte for byte.',
      evidence: [1, 2],
    });
  });
});
