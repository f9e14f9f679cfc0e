/**
 * The trace queries every check shares: how a verdict's evidence is cleaned,
 * how token types and schemes are read (RFC 6749 §5.1: token_type is
 * case-insensitive), which requests count as token and MCP requests, which
 * token a request presents, which proof claims are usable, which earlier
 * attempt a request retries (only one whose answer had been sent before the
 * retry arrived), which retries follow a 429/503 (RFC 9449 §7.3 territory),
 * and how an entry is named in a message. Every check's message and evidence
 * pass through these, so each rule is pinned here on exact values, including
 * the boundaries (equal times, status 0, the evidence cap).
 */
import { describe, expect, it, vi } from 'vitest';
import {
  claimsOf,
  describe as describeEntry,
  dpopTokenPresentations,
  groupBy,
  isBearerTokenType,
  isDpopTokenType,
  isTransientStatus,
  jtiClaim,
  mcpRequests,
  memoized,
  nonceClaim,
  pathOf,
  presentedToken,
  previousAttempts,
  schemeOf,
  tokenRequests,
  transientRetries,
  verdict,
} from '../../../src/checks/_internals/trace-queries.ts';
import type { Trace, TraceEntry } from '../../../src/trace/types.ts';
import { AS, MCP, TraceBuilder, withToken } from '../trace-builder.ts';

const ID = 'sep-1932-client-newest-nonce';

/** The trace with one entry's recorded fields replaced (for shapes the builder does not write). */
function patched(trace: Trace, seq: number, fields: Partial<TraceEntry>): Trace {
  return { ...trace, entries: trace.entries.map((e) => (e.seq === seq ? { ...e, ...fields } : e)) };
}

function entry(trace: Trace, seq: number): TraceEntry {
  return trace.entries[seq]!;
}

describe('verdict: a check result with clean evidence', () => {
  it('keeps id, status and message as given and has no evidence by default', () => {
    expect(verdict(ID, 'SUCCESS', 'All good.')).toEqual({ id: ID, status: 'SUCCESS', message: 'All good.', evidence: [] });
  });

  it('de-duplicates the evidence and sorts it numerically, not as text', () => {
    expect(verdict(ID, 'FAILURE', 'Found.', [10, 9, 2, 10, 100, 1, 9])).toEqual({ id: ID, status: 'FAILURE', message: 'Found.', evidence: [1, 2, 9, 10, 100] });
  });

  it('accepts any iterable of sequence numbers', () => {
    expect(verdict(ID, 'WARNING', 'Found.', new Set([3, 1])).evidence).toEqual([1, 3]);
  });

  it('keeps exactly 20 entries: the 20 lowest sequence numbers of a longer list', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => 19 - i);
    expect(verdict(ID, 'FAILURE', 'Found.', twenty).evidence).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const twentyFive = Array.from({ length: 25 }, (_, i) => 24 - i);
    expect(verdict(ID, 'FAILURE', 'Found.', twentyFive).evidence).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('counts the cap after de-duplication', () => {
    const repeated = [...Array.from({ length: 20 }, (_, i) => i), 0, 1, 2];
    expect(verdict(ID, 'FAILURE', 'Found.', repeated).evidence).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('groupBy: items by key, each group in the order given', () => {
  it('keeps first-seen key order and item order within a group', () => {
    const groups = groupBy(['b1', 'a1', 'b2', 'c1', 'a2'], (s) => s[0]);
    expect([...groups]).toEqual([['b', ['b1', 'b2']], ['a', ['a1', 'a2']], ['c', ['c1']]]);
  });

  it('is empty for no items', () => {
    expect(groupBy([], (s: string) => s).size).toBe(0);
  });
});

describe('token_type is compared case-insensitively (RFC 6749 §5.1)', () => {
  it('isDpopTokenType accepts DPoP in any case and nothing else', () => {
    expect(['DPoP', 'dpop', 'DPOP', 'dPoP'].map(isDpopTokenType)).toEqual([true, true, true, true]);
    expect(['Bearer', 'bearer', '', 'DPoP ', 'dpop-bound'].map(isDpopTokenType)).toEqual([false, false, false, false, false]);
  });

  it('isBearerTokenType accepts Bearer in any case and nothing else', () => {
    expect(['Bearer', 'bearer', 'BEARER', 'bEaReR'].map(isBearerTokenType)).toEqual([true, true, true, true]);
    expect(['DPoP', 'dpop', '', ' Bearer', 'bearerx'].map(isBearerTokenType)).toEqual([false, false, false, false, false]);
  });
});

describe('which requests are token requests and MCP requests', () => {
  function mixed(): Trace {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' } }); // #0 POST token
    b.add({ server: 'as', method: 'GET', at: 2, done: 3 }); // #1 GET token
    b.add({ at: 4, done: 5 }); // #2 POST mcp
    b.add({ method: 'GET', at: 6, done: 7 }); // #3 GET mcp
    b.add({ method: 'DELETE', at: 8, done: 9, session: 'S' }); // #4 DELETE mcp
    b.add({ server: 'as', endpoint: 'as-metadata', method: 'GET', url: `${AS}/.well-known/oauth-authorization-server`, at: 10, done: 11 }); // #5
    b.add({ endpoint: 'other', url: `${MCP}/other`, at: 12, done: 13 }); // #6 POST elsewhere on the MCP server
    b.add({ server: 'as', at: 14, done: 15, proof: { jti: 'b' } }); // #7 POST token
    return b.trace();
  }

  it('tokenRequests are the POSTs to the token endpoint (RFC 6749 §3.2), in arrival order', () => {
    expect(tokenRequests(mixed()).map((e) => e.seq)).toEqual([0, 7]);
  });

  it('mcpRequests are the requests to the MCP endpoint, whatever their method, in arrival order', () => {
    expect(mcpRequests(mixed()).map((e) => e.seq)).toEqual([2, 3, 4]);
  });
});

describe('presentedToken: the issued token an Authorization header carries', () => {
  function trace(): Trace {
    const b = new TraceBuilder();
    withToken(b, 'AT1'); // #0 issues t0
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2' }, issuesToken: 'AT2' }); // #1 issues t1
    b.add({ at: 4, done: 5, token: 'AT2' }); // #2
    b.add({ at: 6, done: 7, token: 'AT1' }); // #3
    b.add({ at: 8, done: 9, token: 'NOT-ISSUED' }); // #4
    b.add({ at: 10, done: 11 }); // #5 no Authorization
    b.add({ at: 12, done: 13, malformedAuthorization: 'DPoP' }); // #6
    return b.trace();
  }

  it('finds the token by the id the recorder matched, whichever token it is', () => {
    const t = trace();
    expect(presentedToken(t, entry(t, 2))).toBe(t.tokens[1]);
    expect(presentedToken(t, entry(t, 3))).toBe(t.tokens[0]);
  });

  it('is undefined for a token the authorization server never issued, no Authorization, and a malformed one', () => {
    const t = trace();
    expect([4, 5, 6].map((s) => presentedToken(t, entry(t, s)))).toEqual([undefined, undefined, undefined]);
  });
});

describe('dpopTokenPresentations: MCP requests presenting a token issued as DPoP-bound', () => {
  it('keeps MCP requests whose token was issued with token_type DPoP in any case, in arrival order', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, issuesToken: 'DT', issuedTokenType: 'dpop' }); // #0
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'b' }, issuesToken: 'BT', issuedTokenType: 'Bearer' }); // #1
    b.add({ at: 4, done: 5, token: 'DT' }); // #2 kept
    b.add({ at: 6, done: 7, token: 'BT' }); // #3 a Bearer token
    b.add({ at: 8, done: 9 }); // #4 no token
    b.add({ at: 10, done: 11, token: 'UNKNOWN' }); // #5 not issued here
    b.add({ server: 'as', at: 12, done: 13, token: 'DT', proof: { jti: 'c' } }); // #6 not an MCP request
    b.add({ method: 'GET', at: 14, done: 15, token: 'DT', scheme: 'Bearer' }); // #7 kept, whatever the scheme
    const t = b.trace();
    expect(dpopTokenPresentations(t)).toEqual([
      { entry: entry(t, 2), token: t.tokens[0] },
      { entry: entry(t, 7), token: t.tokens[0] },
    ]);
  });

  it('is empty when no MCP request presents a DPoP token', () => {
    const b = new TraceBuilder('Bearer');
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'Bearer' });
    expect(dpopTokenPresentations(b.trace())).toEqual([]);
  });
});

describe('schemeOf: the Authorization scheme as sent', () => {
  it('is the scheme exactly as written for credentials, null otherwise', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'bEaReR' });
    b.add({ at: 4, done: 5 });
    b.add({ at: 6, done: 7, malformedAuthorization: 'DPoP' });
    const t = b.trace();
    expect([1, 2, 3].map((s) => schemeOf(entry(t, s)))).toEqual(['bEaReR', null, null]);
  });
});

describe('proof claims: claimsOf, nonceClaim, jtiClaim', () => {
  function trace(): Trace {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, proof: { jti: 'j-1', nonce: 'N1' } }); // #0
    b.add({ at: 2, done: 3, proof: null }); // #1 no proof
    b.add({ at: 4, done: 5, proof: { jti: '' } }); // #2 empty jti, no nonce
    b.add({ at: 6, done: 7, proof: { jti: 'j-4' } }); // #3 proof whose payload did not decode
    b.add({ at: 8, done: 9, proof: { jti: 'j-5' } }); // #4 non-string claims
    const t = patched(b.trace(), 3, { proof: { ...entry(b.trace(), 3).proof!, claims: null } });
    return patched(t, 4, { proof: { ...entry(t, 4).proof!, claims: { jti: 5, nonce: 7 } } });
  }

  it('claimsOf is the decoded claims, or null without a proof or without decoded claims', () => {
    const t = trace();
    expect(claimsOf(entry(t, 0))).toEqual({ jti: 'j-1', htm: 'POST', htu: `${MCP}/mcp`, iat: 1_800_000_000, nonce: 'N1' });
    expect(claimsOf(entry(t, 1))).toBe(null);
    expect(claimsOf(entry(t, 3))).toBe(null);
  });

  it('nonceClaim is a string nonce, else null (no proof, no claims, no nonce, a number)', () => {
    const t = trace();
    expect([0, 1, 2, 3, 4].map((s) => nonceClaim(entry(t, s)))).toEqual(['N1', null, null, null, null]);
  });

  it('nonceClaim keeps an empty nonce: it is a string the client sent', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, proof: { jti: 'j', nonce: '' } });
    expect(nonceClaim(entry(b.trace(), 0))).toBe('');
  });

  it('jtiClaim is a non-empty string jti, else null (no proof, empty, no claims, a number)', () => {
    const t = trace();
    expect([0, 1, 2, 3, 4].map((s) => jtiClaim(entry(t, s)))).toEqual(['j-1', null, null, null, null]);
  });
});

describe('isTransientStatus: 429 and 503 only (RFC 9449 §7.3 territory)', () => {
  it('is true for 429 and 503 and false for neighbours and other errors', () => {
    expect([429, 503].map(isTransientStatus)).toEqual([true, true]);
    expect([0, 200, 401, 428, 430, 500, 502, 504].map(isTransientStatus)).toEqual([false, false, false, false, false, false, false, false]);
  });
});

describe('memoized: a derived view computed once per trace', () => {
  it('computes on the first call, returns the same value afterwards without computing again', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1 });
    const trace = b.trace();
    const cache = new WeakMap<Trace, { n: number }>();
    const compute = vi.fn((t: Trace) => ({ n: t.entries.length }));
    const first = memoized(cache, trace, compute);
    const second = memoized(cache, trace, compute);
    expect(first).toEqual({ n: 1 });
    expect(second).toBe(first);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(compute).toHaveBeenCalledWith(trace);
    expect(cache.get(trace)).toBe(first);
  });

  it('computes again for another trace, and not at all for a trace already cached', () => {
    const one = new TraceBuilder().trace();
    const two = new TraceBuilder().trace();
    const cache = new WeakMap<Trace, string>([[one, 'cached']]);
    const compute = vi.fn(() => 'computed');
    expect(memoized(cache, one, compute)).toBe('cached');
    expect(compute).not.toHaveBeenCalled();
    expect(memoized(cache, two, compute)).toBe('computed');
    expect(compute).toHaveBeenCalledTimes(1);
  });
});

describe('previousAttempts: the attempt a request retries', () => {
  function pairs(trace: Trace): [number, number][] {
    return [...previousAttempts(trace)].map(([seq, before]) => [seq, before.seq]);
  }

  it('pairs a request with the earlier one of the same retry key answered by the time it arrived', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 5, key: 'k', status: 401 }); // #0
    b.add({ at: 5, done: 6, key: 'k' }); // #1 arrived as #0 was answered: equal times count
    b.add({ at: 7, done: 8, key: 'other' }); // #2 another request
    expect(pairs(b.trace())).toEqual([[1, 0]]);
  });

  it('does not pair a request that arrived one millisecond before the answer', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 6, key: 'k', status: 401 });
    b.add({ at: 5, done: 7, key: 'k' });
    expect(pairs(b.trace())).toEqual([]);
  });

  it('does not pair requests whose retry keys differ (server, method, path, session or body)', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k' });
    b.add({ method: 'GET', at: 2, done: 3, key: 'k' });
    b.add({ server: 'as', at: 4, done: 5, key: 'k', proof: { jti: 'a' } });
    b.add({ at: 6, done: 7, key: 'k2' });
    expect(pairs(b.trace())).toEqual([]);
  });

  it('picks the latest answered earlier attempt, not the first', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k', status: 401 }); // #0
    b.add({ at: 2, done: 3, key: 'k', status: 401 }); // #1
    b.add({ at: 4, done: 5, key: 'k' }); // #2 retries #1
    expect(pairs(b.trace())).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it('skips a later attempt that was never answered (status 0) and pairs with the one before it', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k', status: 503 }); // #0
    b.add({ at: 2, done: 3, key: 'k', status: 0 }); // #1 no answer was sent; it still retries #0
    b.add({ at: 4, done: 5, key: 'k' }); // #2 retries #0, not #1
    expect(pairs(b.trace())).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('skips a later attempt answered after the request arrived and pairs with the one before it', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k', status: 401 }); // #0
    b.add({ at: 2, done: 9, key: 'k' }); // #1 still in flight when #2 arrived
    b.add({ at: 4, done: 5, key: 'k' }); // #2
    expect(pairs(b.trace())).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('pairs nothing when the only earlier attempt was never answered', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k', status: 0 });
    b.add({ at: 2, done: 3, key: 'k' });
    expect(pairs(b.trace())).toEqual([]);
  });

  it('is computed once per trace: the same map for the same trace', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'k' });
    b.add({ at: 2, done: 3, key: 'k' });
    const trace = b.trace();
    const first = previousAttempts(trace);
    expect(previousAttempts(trace)).toBe(first);
    expect(previousAttempts(b.trace())).not.toBe(first);
  });
});

describe('transientRetries: retries of an attempt answered 429 or 503 (RFC 9449 §7.3)', () => {
  it('counts retries after 429 and 503 at any endpoint but the token endpoint', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'a', status: 429 }); // #0
    b.add({ at: 2, done: 3, key: 'a' }); // #1 retry after 429
    b.add({ at: 4, done: 5, key: 'b', status: 503 }); // #2
    b.add({ at: 6, done: 7, key: 'b' }); // #3 retry after 503
    b.add({ at: 8, done: 9, key: 'c', status: 401 }); // #4
    b.add({ at: 10, done: 11, key: 'c' }); // #5 retry after 401
    b.add({ server: 'as', at: 12, done: 13, key: 'd', status: 503, proof: { jti: 'a' } }); // #6
    b.add({ server: 'as', at: 14, done: 15, key: 'd', proof: { jti: 'b' } }); // #7 token request retry after 503
    b.add({ server: 'as', at: 16, done: 17, key: 'e', proof: { jti: 'c' } }); // #8
    b.add({ server: 'as', at: 18, done: 19, key: 'e', proof: { jti: 'd' } }); // #9 token request retry after 200
    b.add({ endpoint: 'other', url: `${MCP}/other`, at: 20, done: 21, key: 'f', status: 429 }); // #10
    b.add({ endpoint: 'other', url: `${MCP}/other`, at: 22, done: 23, key: 'f' }); // #11 retry after 429 elsewhere
    expect(transientRetries(b.trace())).toEqual(new Set([1, 3, 11]));
  });

  it('reads the pairing it is given', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, key: 'a', status: 429 });
    const trace = b.trace();
    expect(transientRetries(trace, new Map([[7, entry(trace, 0)]]))).toEqual(new Set([7]));
    expect(transientRetries(trace)).toEqual(new Set());
  });
});

describe('pathOf: the path of a recorded URL', () => {
  it('is the path without query and fragment', () => {
    expect(pathOf('http://127.0.0.1:2000/mcp/x?q=1#f')).toBe('/mcp/x');
  });

  it('is the text itself when it does not parse as a URL (judges never throw)', () => {
    expect(pathOf('/mcp relative')).toBe('/mcp relative');
  });
});

describe('describe: how a message names an entry', () => {
  it('names sequence number, method and endpoint, then the JSON-RPC methods in parentheses', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3 });
    b.add({ method: 'GET', at: 4, done: 5 });
    const t = b.trace();
    expect([0, 1, 2].map((s) => describeEntry(entry(t, s)))).toEqual(['#0 POST token', '#1 POST mcp (tools/list)', '#2 GET mcp']);
  });

  it('lists every message of a batch, a message without a method as "response"', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1 });
    b.add({ at: 2, done: 3 });
    let t = patched(b.trace(), 0, {
      rpc: [
        { method: 'initialize', id: 1 },
        { method: null, id: 7 },
        { method: 'notifications/initialized', id: null },
      ],
    });
    t = patched(t, 1, { rpc: [{ method: null, id: 2 }] });
    expect(describeEntry(entry(t, 0))).toBe('#0 POST mcp (initialize,response,notifications/initialized)');
    expect(describeEntry(entry(t, 1))).toBe('#1 POST mcp (response)');
  });

  it('adds no parentheses for a POST whose body held no JSON-RPC message', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1 });
    expect(describeEntry(entry(patched(b.trace(), 0, { rpc: [] }), 0))).toBe('#0 POST mcp');
  });
});
