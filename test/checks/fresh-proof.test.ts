/**
 * sep-1932-client-fresh-proof on synthetic traces: a replayed jti, with the
 * exemption for a resend after 429/503, every problem of a proof named, and
 * htm/htu left to sep-1932-client-htm-htu-match (one bug, one finding).
 */
import { describe, expect, it } from 'vitest';
import { freshProof } from '../../src/checks/fresh-proof.ts';
import { MCP, TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-fresh-proof';

describe('sep-1932-client-fresh-proof (RFC 9449 §4.2, §4.3, §7)', () => {
  it('does not judge htm or htu: a proof naming another method or URI is htm-htu-match\'s finding', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', htm: 'GET' } });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', htu: `${MCP}/other` } });
    expect(freshProof(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'All 2 MCP request(s) carried a fresh, well-formed proof.', evidence: [1, 2] });
  });

  it('fails a proof replayed on a new request (RFC 9449 §11.1), citing the first use', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-1' } });
    expect(freshProof(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 of 2 MCP request(s) lacked a fresh, well-formed proof; #2: reuses the jti "m-1" of #1, so it is no fresh proof.',
      evidence: [2],
    });
  });

  it('exempts a resend after 503 (fresh-proof-on-retry\'s territory) but still cites the first use for a later replay', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, key: 'list', status: 503 });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-1' }, key: 'list' });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'm-1' }, key: 'call' });
    expect(freshProof(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '1 of 3 MCP request(s) lacked a fresh, well-formed proof; #3: reuses the jti "m-1" of #1, so it is no fresh proof.',
      evidence: [3],
    });
  });

  it('names every problem of the first bad proof: a stale iat and a replayed jti', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    b.add({ at: 1000, done: 1001, token: 'AT1', proof: { jti: 'm-1', iat: 1_799_999_001 } });
    expect(freshProof(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message:
        '1 of 2 MCP request(s) lacked a fresh, well-formed proof; #2: iat claim 1799999001 is 1000s in the past (window ±300s); reuses the jti "m-1" of #1, so it is no fresh proof.',
      evidence: [2],
    });
  });
});
