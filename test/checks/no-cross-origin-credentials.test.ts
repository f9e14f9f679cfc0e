/**
 * sep-1932-client-no-cross-origin-credentials on synthetic traces: the whole
 * verdict (message and evidence) for a leak to another path of a server, for
 * several leaks at once, for a token the run never issued (not the client's
 * access token), and for a redirect to another origin followed cleanly.
 */
import { describe, expect, it } from 'vitest';
import { noCrossOriginCredentials } from '../../src/checks/no-cross-origin-credentials.ts';
import { AS, MCP, TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-no-cross-origin-credentials';
/** The origin a cross-origin redirect points to (RFC 6454: another port is another origin). */
const ELSEWHERE = 'http://127.0.0.1:4000';

describe('sep-1932-client-no-cross-origin-credentials (RFC 6750 §5.3, RFC 9449 §7)', () => {
  it('fails the access token sent to another path of the MCP server, naming server and path, and counts a proof carried across a 307 to another origin as one more', () => {
    const b = new TraceBuilder();
    withToken(b);
    // RFC 6750 §5.3: the token is for the protected resource, not for every path of its host.
    b.add({ endpoint: 'other', method: 'GET', at: 2, done: 3, url: `${MCP}/sse`, token: 'AT1', proof: { jti: 'a' }, status: 404 });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b' }, status: 307, responseHeaders: { location: `${ELSEWHERE}/mcp` } });
    // RFC 9110 §15.4.8 lets the client follow the redirect, but a DPoP proof is for the resource server only (RFC 9449 §7).
    b.add({ server: 'elsewhere', endpoint: 'other', at: 6, done: 7, url: `${ELSEWHERE}/mcp`, proof: { jti: 'c' }, status: 404 });
    expect(noCrossOriginCredentials(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: "#1 GET other carried the access token to the mcp server's /sse (and 1 more).",
      evidence: [1, 3],
    });
  });

  it('does not take a token the AS never issued in this run, sent to the registration endpoint, for the access token (an RFC 7591 §3 initial access token), and passes rather than skips a run that presented credentials', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', endpoint: 'register', at: 0, done: 1, url: `${AS}/register`, token: 'initial-access-token', scheme: 'Bearer', status: 201 });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-1' }, issuesToken: 'AT1' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'a' } });
    expect(noCrossOriginCredentials(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'Credentials went only to the MCP endpoint.', evidence: [] });
  });

  it('is SKIPPED without credentials or a redirect to another origin, and passes a 307 there followed without credentials, counting those requests (RFC 9110 §15.4.8, RFC 6454)', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' } });
    expect(noCrossOriginCredentials(b.input())).toEqual({
      id: ID,
      status: 'SKIPPED',
      message: 'The client presented no credentials and followed no redirect to another origin.',
      evidence: [],
    });
    b.add({ at: 2, done: 3, status: 307, responseHeaders: { location: `${ELSEWHERE}/mcp` } });
    b.add({ server: 'elsewhere', endpoint: 'other', at: 4, done: 5, url: `${ELSEWHERE}/mcp`, status: 404 });
    expect(noCrossOriginCredentials(b.input())).toEqual({
      id: ID,
      status: 'SUCCESS',
      message: 'Credentials went only to the MCP endpoint; 1 request(s) to another origin carried none.',
      evidence: [],
    });
  });
});
