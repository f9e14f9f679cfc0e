/**
 * sep-1932-client-htm-htu-match on synthetic traces: only htm and htu are
 * judged here, and every problem of a proof is named.
 */
import { describe, expect, it } from 'vitest';
import { htmHtuMatch } from '../../src/checks/htm-htu-match.ts';
import { MCP, TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-htm-htu-match';

describe('sep-1932-client-htm-htu-match (RFC 9449 §4.2, §4.3 checks 8–9)', () => {
  it('skips a run without a decodable proof', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401 });
    expect(htmHtuMatch(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No decodable DPoP proof was sent.', evidence: [] });
  });

  it('leaves other claim problems (an empty jti) to the checks that own them', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: '' } });
    expect(htmHtuMatch(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'htm and htu matched the request in all 2 proof(s).', evidence: [0, 1] });
  });

  it('fails a wrong htm, a wrong htu and both, naming every problem of the first', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', htm: 'GET', htu: `${MCP}/other` } });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', htm: 'GET' } });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'm-3', htu: `${MCP}/other` } });
    expect(htmHtuMatch(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: `3 of 4 proof(s) named the wrong request; #1: htm claim "GET" does not match the request method "POST"; htu claim "${MCP}/other" does not match the request URI "${MCP}/mcp".`,
      evidence: [1, 2, 3],
    });
  });

  it.each([
    ['htm', { htm: 'PUT' }, 'htm claim "PUT" does not match the request method "POST"'],
    ['htu', { htu: `${MCP}/other` }, `htu claim "${MCP}/other" does not match the request URI "${MCP}/mcp"`],
  ])('fails a wrong %s alone', (_, claims, problem) => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', ...claims } });
    expect(htmHtuMatch(b.input())).toEqual({ id: ID, status: 'FAILURE', message: `1 of 2 proof(s) named the wrong request; #1: ${problem}.`, evidence: [1] });
  });
});
