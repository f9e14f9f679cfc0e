/**
 * causalPasts: which responses a client provably had before it built each
 * request. The "next request" rules of RFC 9449 §8.2 and §9 (use the newest
 * nonce, a fresh proof on the retry) are judged only along these links, so a
 * missing link lets a bug through and a spurious one blames a client for a
 * request that overlapped the response. Pinned here: each kind of link (the
 * answered earlier attempt of a request that names itself, the issuer of the
 * access token, refresh token, session id or nonce it carries), the filter
 * every link passes (an earlier request, answered, by the time this one
 * arrived), the transitive closure, and that the relation is computed once
 * per trace. Results are compared whole, one set per entry.
 */
import { describe, expect, it } from 'vitest';
import { causalPasts } from '../../../src/checks/_internals/causality.ts';
import type { Trace, TraceEntry } from '../../../src/trace/types.ts';
import { MCP, TraceBuilder, withToken } from '../trace-builder.ts';

/** The trace with one entry's recorded fields replaced (for shapes the builder does not write). */
function patched(trace: Trace, seq: number, fields: Partial<TraceEntry>): Trace {
  return { ...trace, entries: trace.entries.map((e) => (e.seq === seq ? { ...e, ...fields } : e)) };
}

/** Expected pasts, one list per entry in arrival order. */
function pasts(...lists: number[][]): Map<number, Set<number>> {
  return new Map(lists.map((l, seq) => [seq, new Set(l)]));
}

describe('causalPasts: a resent request that names itself follows its answered earlier attempt', () => {
  it('an MCP POST carrying a JSON-RPC message follows the earlier attempt of the same message', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k', status: 401 });
    b.add({ at: 2, done: 3, key: 'k' });
    expect(causalPasts(b.trace())).toEqual(pasts([], [0]));
  });

  it('an MCP POST without JSON-RPC messages names nothing, so its twin links nothing', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k', status: 401 });
    b.add({ at: 2, done: 3, key: 'k' });
    const trace = patched(patched(b.trace(), 0, { rpc: [] }), 1, { rpc: [] });
    expect(causalPasts(trace)).toEqual(pasts([], []));
  });

  it('a GET stream may be a concurrent twin: arriving after the answer links nothing, whatever messages were recorded', () => {
    const b = new TraceBuilder();
    b.add({ method: 'GET', at: 0, done: 1, key: 'g' });
    b.add({ method: 'GET', at: 2, done: 3, key: 'g' });
    expect(causalPasts(b.trace())).toEqual(pasts([], []));
    const withMessages = patched(b.trace(), 1, { rpc: [{ method: 'tools/list', id: 1 }] });
    expect(causalPasts(withMessages)).toEqual(pasts([], []));
  });

  it("the DELETE that ends a session follows its earlier attempt (a client ends a session once)", () => {
    const b = new TraceBuilder();
    // The session id was never issued in this trace, so only the earlier attempt links.
    b.add({ method: 'DELETE', at: 0, done: 1, key: 'd', session: 'X', status: 500 });
    b.add({ method: 'DELETE', at: 2, done: 3, key: 'd', session: 'X' });
    expect(causalPasts(b.trace())).toEqual(pasts([], [0]));
  });

  it('a DELETE without a session id, or a GET with one, names no request', () => {
    const del = new TraceBuilder();
    del.add({ method: 'DELETE', at: 0, done: 1, key: 'd' });
    del.add({ method: 'DELETE', at: 2, done: 3, key: 'd' });
    expect(causalPasts(del.trace())).toEqual(pasts([], []));
    const get = new TraceBuilder();
    get.add({ method: 'GET', at: 0, done: 1, key: 'g', session: 'X' });
    get.add({ method: 'GET', at: 2, done: 3, key: 'g', session: 'X' });
    expect(causalPasts(get.trace())).toEqual(pasts([], []));
  });

  it('only requests to the MCP endpoint name themselves: token requests and a DELETE elsewhere may be twins', () => {
    const token = new TraceBuilder();
    token.add({ server: 'as', at: 0, done: 1, key: 't', proof: { jti: 'a' }, status: 400 });
    token.add({ server: 'as', at: 2, done: 3, key: 't', proof: { jti: 'b' } });
    expect(causalPasts(token.trace())).toEqual(pasts([], []));
    const other = new TraceBuilder();
    other.add({ endpoint: 'other', url: `${MCP}/other`, method: 'DELETE', at: 0, done: 1, key: 'd', session: 'X' });
    other.add({ endpoint: 'other', url: `${MCP}/other`, method: 'DELETE', at: 2, done: 3, key: 'd', session: 'X' });
    expect(causalPasts(other.trace())).toEqual(pasts([], []));
  });

  it('a resent message links nothing when its earlier attempt was still unanswered at its arrival', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 3, key: 'k', status: 401 });
    b.add({ at: 2, done: 4, key: 'k' });
    expect(causalPasts(b.trace())).toEqual(pasts([], []));
  });
});

describe('causalPasts: a request follows the response that gave it what it carries', () => {
  it('an access token links to the token response that issued it, whatever the scheme; an unknown token links nothing', () => {
    const b = new TraceBuilder();
    withToken(b); // #0
    b.add({ method: 'GET', at: 2, done: 3, token: 'AT1' }); // #1
    b.add({ method: 'GET', at: 4, done: 5, token: 'AT1', scheme: 'Bearer' }); // #2
    b.add({ method: 'GET', at: 6, done: 7, token: 'FROM-ELSEWHERE' }); // #3
    expect(causalPasts(b.trace())).toEqual(pasts([], [0], [0], []));
  });

  it('an access token links to its own issuer among several', () => {
    const b = new TraceBuilder();
    withToken(b, 'AT1'); // #0
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2' }, issuesToken: 'AT2' }); // #1
    b.add({ method: 'GET', at: 4, done: 5, token: 'AT1' }); // #2
    expect(causalPasts(b.trace())).toEqual(pasts([], [], [0]));
  });

  it('a refresh token in a token request links to the response that issued it (RFC 6749 §6)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, issuesToken: 'AT1', issuesRefresh: 'RT1' }); // #0
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'b' }, issuesToken: 'AT2' }); // #1 no refresh token
    b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'c' }, grant: { type: 'refresh_token', code: null, refreshToken: 'RT1' } }); // #2
    b.add({ server: 'as', at: 6, done: 7, proof: { jti: 'd' }, grant: { type: 'refresh_token', code: null, refreshToken: 'RT-ELSEWHERE' } }); // #3
    b.add({ at: 8, done: 9 }); // #4 an MCP request has no grant
    expect(causalPasts(b.trace())).toEqual(pasts([], [], [0], [], []));
  });

  it('a session id links to the response that issued it', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'a', issuesSession: 'S' }); // #0
    b.add({ method: 'GET', at: 2, done: 3, session: 'S' }); // #1
    b.add({ method: 'GET', at: 4, done: 5, session: 'NEVER-ISSUED' }); // #2
    expect(causalPasts(b.trace())).toEqual(pasts([], [0], []));
  });

  it('a nonce links to the response that delivered it', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'a', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #0
    b.add({ method: 'GET', at: 4, done: 5, proof: { jti: 'c', nonce: 'N1' } }); // #1
    b.add({ method: 'GET', at: 6, done: 7, proof: { jti: 'd', nonce: 'NEVER-DELIVERED' } }); // #2
    b.add({ method: 'GET', at: 8, done: 9, proof: { jti: 'e' } }); // #3 no nonce
    expect(causalPasts(b.trace())).toEqual(pasts([], [0], [], []));
  });
});

describe('causalPasts: a value several responses gave proves only what is in the past of each', () => {
  it('a nonce two answered responses delivered links to neither (the client may have read either first)', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'a', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #0
    b.add({ at: 2, done: 3, key: 'b', proof: { jti: 'b' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #1 the same nonce again
    b.add({ method: 'GET', at: 4, done: 5, proof: { jti: 'c', nonce: 'N1' } }); // #2
    expect(causalPasts(b.trace())).toEqual(pasts([], [], []));
  });

  it('keeps what every delivering response had in its own past (both carried the session minted by #0)', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'init', issuesSession: 'S' }); // #0
    b.add({ at: 2, done: 3, key: 'a', session: 'S', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #1
    b.add({ at: 2, done: 4, key: 'b', session: 'S', proof: { jti: 'b' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #2
    b.add({ method: 'GET', at: 5, done: 6, proof: { jti: 'c', nonce: 'N1' } }); // #3: no session, only the nonce
    expect(causalPasts(b.trace())).toEqual(pasts([], [0], [0], [0]));
  });

  it('a nonce whose first delivery was still in flight links to a later delivery that had been answered', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 10, key: 'a', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #0 answered after #2 arrived
    b.add({ at: 1, done: 3, key: 'b', proof: { jti: 'b' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' }); // #1
    b.add({ method: 'GET', at: 5, done: 6, proof: { jti: 'c', nonce: 'N1' } }); // #2
    expect(causalPasts(b.trace())).toEqual(pasts([], [], [1]));
  });

  it('an access token issued twice links to the issuer that had answered', () => {
    const b = new TraceBuilder();
    withToken(b, 'AT1'); // #0
    b.add({ server: 'as', at: 2, done: 10, proof: { jti: 'as-2' }, issuesToken: 'AT1' }); // #1 the same token, answered after #2 arrived
    b.add({ method: 'GET', at: 5, done: 6, token: 'AT1' }); // #2
    expect(causalPasts(b.trace())).toEqual(pasts([], [], [0]));
  });

  it('a session id issued twice and answered both times proves neither issuer', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'a', issuesSession: 'S' }); // #0
    b.add({ at: 2, done: 3, key: 'b', issuesSession: 'S' }); // #1 the same id again
    b.add({ method: 'GET', at: 4, done: 5, session: 'S' }); // #2
    expect(causalPasts(b.trace())).toEqual(pasts([], [], []));
  });
});

describe('causalPasts: a producer counts only when it answered before the request arrived', () => {
  it('a response sent exactly when the request arrived counts', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 5, proof: { jti: 'a' }, issuesToken: 'AT1' });
    b.add({ method: 'GET', at: 5, done: 6, token: 'AT1' });
    expect(causalPasts(b.trace())).toEqual(pasts([], [0]));
  });

  it('a response sent one millisecond after the request arrived does not', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 6, proof: { jti: 'a' }, issuesToken: 'AT1' });
    b.add({ method: 'GET', at: 5, done: 7, token: 'AT1' });
    expect(causalPasts(b.trace())).toEqual(pasts([], []));
  });

  it('a response that was never sent (status 0) does not', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, issuesToken: 'AT1', status: 0 });
    b.add({ method: 'GET', at: 2, done: 3, token: 'AT1' });
    expect(causalPasts(b.trace())).toEqual(pasts([], []));
  });

  it('a request that arrived later cannot have produced it, even when its answer carries the same time', () => {
    const b = new TraceBuilder();
    b.add({ method: 'GET', at: 5, done: 6, token: 'AT1' }); // #0
    b.add({ server: 'as', at: 5, done: 5, proof: { jti: 'a' }, issuesToken: 'AT1' }); // #1
    expect(causalPasts(b.trace())).toEqual(pasts([], []));
  });

  it('a request is never its own past, even when it was answered in the millisecond it arrived', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 0, proof: { jti: 'a' }, token: 'AT1', issuesToken: 'AT1' });
    expect(causalPasts(b.trace())).toEqual(pasts([]));
  });
});

describe('causalPasts: the relation is closed transitively', () => {
  it('a chain of three links gives the last request all three producers', () => {
    const b = new TraceBuilder();
    withToken(b); // #0 issues AT1
    b.add({ at: 2, done: 3, key: 'a', token: 'AT1', proof: { jti: 'm-1' }, issuesSession: 'S' }); // #1 needs #0
    b.add({ at: 4, done: 5, key: 'b', session: 'S', nonce: 'N1' }); // #2 needs #1
    b.add({ method: 'GET', at: 6, done: 7, proof: { jti: 'm-3', nonce: 'N1' } }); // #3 needs #2
    b.add({ method: 'GET', at: 8, done: 9 }); // #4 carries nothing
    expect(causalPasts(b.trace())).toEqual(pasts([], [0], [1, 0], [2, 1, 0], []));
  });

  it('computes the relation once per trace: the same map for the same trace', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ method: 'GET', at: 2, done: 3, token: 'AT1' });
    const trace = b.trace();
    const first = causalPasts(trace);
    expect(causalPasts(trace)).toBe(first);
    const other = causalPasts(b.trace());
    expect(other).not.toBe(first);
    expect(other).toEqual(first);
  });
});
