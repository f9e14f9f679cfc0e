/**
 * The one nonce rule every nonce check shares (NonceFacts, describeNonceUse),
 * on synthetic traces: which origin the servers share, the order of a
 * server's deliveries (issuance, then delivery), the floor a request provably
 * had, and every verdict on a `nonce` claim — fresh, missing, stale, the
 * other server's (FAILURE on separate origins, WARNING or stale-for-origin on
 * a shared one), mangled and unknown — including which deliveries a request
 * can have seen at all. Verdicts are compared whole, sentences word for word.
 */
import { describe, expect, it } from 'vitest';
import { describeNonceUse, NonceFacts } from '../../../src/checks/_internals/nonce-use.ts';
import type { NonceIssue, ServerRole, Trace, TraceEntry } from '../../../src/trace/types.ts';
import { TraceBuilder, withToken } from '../trace-builder.ts';

function issue(server: ServerRole, value: string, seq: number, generation: number): NonceIssue {
  return { server, value, seq, generation };
}

function entry(trace: Trace, seq: number): TraceEntry {
  const e = trace.entries.find((x) => x.seq === seq);
  if (e === undefined) throw new Error(`no entry #${seq}`);
  return e;
}

function delivery(facts: NonceFacts, seq: number): NonceIssue {
  const d = facts.deliveryOf(entry(facts.trace, seq));
  if (d === undefined) throw new Error(`#${seq} delivered no nonce`);
  return d;
}

describe('NonceFacts.sharedOrigin (RFC 6454)', () => {
  it('separate listeners are separate origins; one listener is one origin', () => {
    expect(new NonceFacts(new TraceBuilder().trace()).sharedOrigin).toBe(false);
    expect(new NonceFacts(new TraceBuilder('DPoP', { sameOrigin: true }).trace()).sharedOrigin).toBe(true);
  });

  it('compares origins, not URLs: a path or an explicit default port does not matter, the scheme does', () => {
    const base = new TraceBuilder().trace();
    const shared = (asOrigin: string, mcpOrigin: string): boolean => new NonceFacts({ ...base, asOrigin, mcpOrigin }).sharedOrigin;
    expect(shared('http://127.0.0.1:3000', 'http://127.0.0.1:3000/mcp')).toBe(true);
    expect(shared('http://localhost:80', 'http://localhost')).toBe(true);
    expect(shared('http://127.0.0.1:3000', 'https://127.0.0.1:3000')).toBe(false);
  });

  it('compares values that do not parse as URLs as they are', () => {
    const base = new TraceBuilder().trace();
    expect(new NonceFacts({ ...base, asOrigin: 'not a url', mcpOrigin: 'not a url' }).sharedOrigin).toBe(true);
    expect(new NonceFacts({ ...base, asOrigin: 'not a url', mcpOrigin: 'also not one' }).sharedOrigin).toBe(false);
  });
});

describe('NonceFacts.deliveries (RFC 9449 §8.2: newer means issued later)', () => {
  it("lists one server's deliveries by issuance order, ties in delivery order, whatever order the trace lists them in", () => {
    const trace: Trace = {
      ...new TraceBuilder().trace(),
      nonces: [issue('mcp', 'b', 5, 0), issue('mcp', 'c', 2, 1), issue('as', 'x', 1, 0), issue('mcp', 'b', 3, 0), issue('mcp', 'c', 6, 1), issue('mcp', 'd', 4, 2)],
    };
    const facts = new NonceFacts(trace);
    expect(facts.deliveries('mcp')).toEqual([issue('mcp', 'b', 3, 0), issue('mcp', 'b', 5, 0), issue('mcp', 'c', 2, 1), issue('mcp', 'c', 6, 1), issue('mcp', 'd', 4, 2)]);
    expect(facts.deliveries('as')).toEqual([issue('as', 'x', 1, 0)]);
    expect(facts.deliveries('elsewhere')).toEqual([]);
  });

  it('orders a nonce issued earlier but delivered later before the one delivered first', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, nonce: 'late', generation: 1 });
    b.add({ at: 2, done: 3, nonce: 'early', generation: 0 });
    expect(new NonceFacts(b.trace()).deliveries('mcp')).toEqual([issue('mcp', 'early', 1, 0), issue('mcp', 'late', 0, 1)]);
  });
});

describe('NonceFacts.deliveryOf', () => {
  it("is the nonce the challenge's own response delivered, or undefined when it delivered none", () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, nonce: 'A1' });
    b.add({ at: 2, done: 3, proof: { jti: 'm' }, nonce: 'M1' });
    b.add({ at: 4, done: 5, proof: { jti: 'n' }, status: 401, error: 'use_dpop_nonce', nonce: 'M2' });
    b.add({ at: 6, done: 7, proof: { jti: 'o' } });
    const facts = new NonceFacts(b.trace());
    expect(facts.deliveryOf(entry(facts.trace, 2))).toEqual(issue('mcp', 'M2', 2, 1));
    expect(facts.deliveryOf(entry(facts.trace, 3))).toBeUndefined();
  });
});

describe('NonceFacts.floorFor: the newest nonce of its server a request provably had', () => {
  it('is null when no delivery of the server is in the causal past', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 10, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
    // Arrived before #1 was answered: it cannot have N1.
    b.add({ at: 5, done: 6, token: 'AT1', proof: { jti: 'b' } });
    const facts = new NonceFacts(b.trace());
    expect(facts.floorFor(entry(facts.trace, 2))).toBeNull();
  });

  it("ignores the other server's deliveries in the causal past (RFC 9449 §9)", () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm' } });
    b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'as-2', nonce: 'A' } });
    const facts = new NonceFacts(b.trace());
    expect(facts.floorFor(entry(facts.trace, 1))).toBeNull();
    expect(facts.floorFor(entry(facts.trace, 2))).toEqual(issue('as', 'A', 0, 0));
  });

  it('§8.2: is the newest by issuance, not the last delivered', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'NB', generation: 1 });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b', nonce: 'NB' }, nonce: 'NA', generation: 0 });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'c', nonce: 'NA' } });
    const facts = new NonceFacts(b.trace());
    expect(facts.floorFor(entry(facts.trace, 3))).toEqual(issue('mcp', 'NB', 1, 1));
  });

  it('of two deliveries of the newest value, is the later one', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, nonce: 'N1', issuesSession: 'S' });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'c', nonce: 'N1' }, session: 'S' });
    const facts = new NonceFacts(b.trace());
    expect(facts.floorFor(entry(facts.trace, 3))).toEqual(issue('mcp', 'N1', 2, 0));
  });

  it('a newer delivery outside the causal past is no floor', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
    // A concurrent GET got N2, but nothing shows the next request was built after reading it.
    b.add({ method: 'GET', at: 2, done: 3, token: 'AT1', proof: { jti: 'b' }, nonce: 'N2' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'c', nonce: 'N1' } });
    const facts = new NonceFacts(b.trace());
    expect(facts.floorFor(entry(facts.trace, 3))).toEqual(issue('mcp', 'N1', 1, 0));
  });

  it('is null for a request the trace does not hold', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b', nonce: 'N1' } });
    const facts = new NonceFacts(b.trace());
    expect(facts.floorFor({ ...entry(facts.trace, 2), seq: 99 })).toBeNull();
  });
});

describe('NonceFacts.use: what a nonce claim says (RFC 9449 §8, §8.2, §9)', () => {
  describe('no nonce claim', () => {
    it('is fresh when nothing was required, missing when a floor was', () => {
      const b = new TraceBuilder();
      b.add({ at: 0, done: 1, proof: { jti: 'a' }, nonce: 'N1' });
      b.add({ at: 2, done: 3, proof: { jti: 'b' } });
      b.add({ at: 4, done: 5, proof: null });
      const facts = new NonceFacts(b.trace());
      const floor = delivery(facts, 0);
      expect(facts.use(entry(facts.trace, 1), null)).toEqual({ kind: 'fresh' });
      expect(facts.use(entry(facts.trace, 1), floor)).toEqual({ kind: 'missing' });
      expect(facts.use(entry(facts.trace, 2), null)).toEqual({ kind: 'fresh' });
      expect(facts.use(entry(facts.trace, 2), floor)).toEqual({ kind: 'missing' });
    });
  });

  describe("the server's own nonce", () => {
    it('is fresh without a floor, and fresh when it is the floor', () => {
      const b = new TraceBuilder();
      b.add({ at: 0, done: 1, proof: { jti: 'a' }, nonce: 'N1' });
      b.add({ at: 2, done: 3, proof: { jti: 'b', nonce: 'N1' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 1), null)).toEqual({ kind: 'fresh' });
      expect(facts.use(entry(facts.trace, 1), delivery(facts, 0))).toEqual({ kind: 'fresh' });
    });

    it('§8.2 is fresh when issued after the floor, even if the floor was delivered after it', () => {
      const b = new TraceBuilder();
      b.add({ at: 0, done: 1, proof: { jti: 'a' }, nonce: 'NB', generation: 1 });
      b.add({ at: 2, done: 3, proof: { jti: 'b', nonce: 'NB' }, nonce: 'NA', generation: 0 });
      b.add({ at: 4, done: 5, proof: { jti: 'c', nonce: 'NB' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 2), delivery(facts, 1))).toEqual({ kind: 'fresh' });
    });

    it('§8.2 is stale when issued before the floor and every delivery of it was provably in hand before the floor', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
      b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, nonce: 'N2', issuesSession: 'S' });
      b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'c', nonce: 'N1' }, session: 'S' });
      const facts = new NonceFacts(b.trace());
      const floor = facts.floorFor(entry(facts.trace, 3));
      expect(floor).toEqual(issue('mcp', 'N2', 2, 1));
      expect(facts.use(entry(facts.trace, 3), floor)).toEqual({ kind: 'stale', sent: 'N1' });
    });

    it('§8.2 is fresh when issued before the floor but one delivery of it may have reached the client after the floor (the newest received)', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
      // A concurrent GET delivers N1 again; nothing shows it was read before #3 was sent.
      b.add({ method: 'GET', at: 2, done: 4, token: 'AT1', proof: { jti: 'g' }, nonce: 'N1' });
      b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, nonce: 'N2', issuesSession: 'S' });
      b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'c', nonce: 'N1' }, session: 'S' });
      const facts = new NonceFacts(b.trace());
      const floor = facts.floorFor(entry(facts.trace, 4));
      expect(floor).toEqual(issue('mcp', 'N2', 3, 1));
      expect(facts.use(entry(facts.trace, 4), floor)).toEqual({ kind: 'fresh' });
    });

    it('§8.2 is fresh when the only delivery of an older value is not provably before the floor', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
      b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b' }, nonce: 'N2' });
      b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'c', nonce: 'N1' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 3), delivery(facts, 2))).toEqual({ kind: 'fresh' });
    });

    it('is fresh against a floor the trace does not record: nothing is provably before it', () => {
      const b = new TraceBuilder();
      b.add({ at: 0, done: 1, proof: { jti: 'a' }, nonce: 'N1' });
      b.add({ at: 2, done: 3, proof: { jti: 'b', nonce: 'N1' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 1), issue('mcp', 'N9', 42, 5))).toEqual({ kind: 'fresh' });
    });

    it("is judged as the server's own even when the other server delivered the same value too", () => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'X' });
      b.add({ at: 2, done: 3, proof: { jti: 'a' }, nonce: 'X' });
      b.add({ at: 4, done: 5, proof: { jti: 'b', nonce: 'X' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 2), null)).toEqual({ kind: 'fresh' });
    });
  });

  describe('which deliveries a request can have seen', () => {
    it('one answered in the very millisecond the request arrived, but not one answered a millisecond later', () => {
      const seen = (done: number) => {
        const b = new TraceBuilder();
        b.add({ at: 0, done, proof: { jti: 'a' }, nonce: 'N1' });
        b.add({ at: 5, done: 6, proof: { jti: 'b', nonce: 'N1' } });
        const facts = new NonceFacts(b.trace());
        return facts.use(entry(facts.trace, 1), null);
      };
      expect(seen(5)).toEqual({ kind: 'fresh' });
      expect(seen(6)).toEqual({ kind: 'unknown', sent: 'N1' });
    });

    it('not one still open when the run ended (status 0)', () => {
      const b = new TraceBuilder();
      b.add({ method: 'GET', at: 0, done: 1, proof: { jti: 'a' }, status: 0, nonce: 'N1' });
      b.add({ at: 5, done: 6, proof: { jti: 'b', nonce: 'N1' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 1), null)).toEqual({ kind: 'unknown', sent: 'N1' });
    });

    it("not the request's own response, even one timed in the millisecond it arrived", () => {
      const b = new TraceBuilder();
      b.add({ at: 5, done: 5, proof: { jti: 'a', nonce: 'SELF' }, nonce: 'SELF' });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 0), null)).toEqual({ kind: 'unknown', sent: 'SELF' });
    });

    it('not a delivery the trace records for no request', () => {
      const b = new TraceBuilder();
      b.add({ at: 5, done: 6, proof: { jti: 'a', nonce: 'ORPHAN' } });
      const trace = b.trace();
      const facts = new NonceFacts({ ...trace, nonces: [issue('mcp', 'ORPHAN', 42, 0)] });
      expect(facts.use(entry(facts.trace, 0), null)).toEqual({ kind: 'unknown', sent: 'ORPHAN' });
    });

    it("not the other server's delivery answered after the request arrived", () => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 9, proof: { jti: 'as-1' }, nonce: 'A' });
      b.add({ at: 5, done: 6, proof: { jti: 'b', nonce: 'A' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 1), null)).toEqual({ kind: 'unknown', sent: 'A' });
    });
  });

  describe("§9: the other server's nonce", () => {
    it('is a FAILURE on separate origins, to the MCP server and to the authorization server', () => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', nonce: 'A' }, nonce: 'M' });
      b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'as-2', nonce: 'M' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 1), null)).toEqual({ kind: 'foreign', sent: 'A', from: issue('as', 'A', 0, 0), level: 'FAILURE' });
      expect(facts.use(entry(facts.trace, 2), null)).toEqual({ kind: 'foreign', sent: 'M', from: issue('mcp', 'M', 1, 0), level: 'FAILURE' });
    });

    it('names the last delivery of it the request can have seen', () => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
      b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-2' }, nonce: 'A' });
      b.add({ server: 'as', at: 4, done: 20, proof: { jti: 'as-3' }, nonce: 'A' });
      b.add({ at: 10, done: 11, token: 'AT1', proof: { jti: 'm-1', nonce: 'A' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 3), null)).toEqual({ kind: 'foreign', sent: 'A', from: issue('as', 'A', 1, 0), level: 'FAILURE' });
    });

    describe('on a shared origin, where a client may keep one nonce per origin', () => {
      it('is a WARNING without a floor', () => {
        const b = new TraceBuilder('DPoP', { sameOrigin: true });
        b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
        b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1', nonce: 'A' } });
        const facts = new NonceFacts(b.trace());
        expect(facts.use(entry(facts.trace, 1), null)).toEqual({ kind: 'foreign', sent: 'A', from: issue('as', 'A', 0, 0), level: 'WARNING' });
      });

      it('is a FAILURE when every delivery of it was provably in hand before the floor (stale for the origin too)', () => {
        const b = new TraceBuilder('DPoP', { sameOrigin: true });
        b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
        b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, status: 401, error: 'use_dpop_nonce', nonce: 'M1', key: 'k' });
        b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', nonce: 'A' }, key: 'k' });
        const facts = new NonceFacts(b.trace());
        expect(facts.use(entry(facts.trace, 2), delivery(facts, 1))).toEqual({ kind: 'foreign', sent: 'A', from: issue('as', 'A', 0, 0), level: 'FAILURE' });
      });

      it('is a WARNING when a delivery of it may have reached the client after the floor', () => {
        const b = new TraceBuilder('DPoP', { sameOrigin: true });
        b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
        b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, status: 401, error: 'use_dpop_nonce', nonce: 'M1', key: 'k' });
        // A concurrent token request delivers A again; nothing shows the challenge came after it.
        b.add({ server: 'as', at: 3, done: 4, proof: { jti: 'as-2' }, nonce: 'A', key: 'r' });
        b.add({ at: 5, done: 6, token: 'AT1', proof: { jti: 'm-2', nonce: 'A' }, key: 'k' });
        const facts = new NonceFacts(b.trace());
        expect(facts.use(entry(facts.trace, 3), delivery(facts, 1))).toEqual({ kind: 'foreign', sent: 'A', from: issue('as', 'A', 2, 0), level: 'WARNING' });
      });
    });
  });

  describe('a value no server delivered to the request', () => {
    it('is mangled when it is a piece or decoration of a nonce issued in the run, named by the first such nonce', () => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'ab,cd' });
      b.add({ at: 2, done: 3, proof: { jti: 'a' }, nonce: 'ab,ef' });
      b.add({ at: 4, done: 5, proof: { jti: 'b', nonce: 'ab' } });
      b.add({ at: 6, done: 7, proof: { jti: 'c', nonce: '"ab,ef"' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 2), null)).toEqual({ kind: 'mangled', sent: 'ab', of: issue('as', 'ab,cd', 0, 0) });
      expect(facts.use(entry(facts.trace, 3), issue('mcp', 'ab,ef', 1, 0))).toEqual({ kind: 'mangled', sent: '"ab,ef"', of: issue('mcp', 'ab,ef', 1, 0) });
    });

    it('is mangled even when the nonce it was cut from was delivered after the request', () => {
      const b = new TraceBuilder();
      b.add({ at: 0, done: 1, proof: { jti: 'a', nonce: 'ab' } });
      b.add({ at: 2, done: 3, proof: { jti: 'b' }, nonce: 'ab,cd' });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 0), null)).toEqual({ kind: 'mangled', sent: 'ab', of: issue('mcp', 'ab,cd', 1, 0) });
    });

    it('is unknown when it is unrelated to every nonce of the run, whichever nonces the request had', () => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1' });
      b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'b', nonce: 'zzz' } });
      const facts = new NonceFacts(b.trace());
      expect(facts.use(entry(facts.trace, 2), null)).toEqual({ kind: 'unknown', sent: 'zzz' });
      expect(facts.use(entry(facts.trace, 2), delivery(facts, 1))).toEqual({ kind: 'unknown', sent: 'zzz' });
    });
  });
});

describe('describeNonceUse: one sentence per verdict', () => {
  const expected = issue('mcp', 'N2', 7, 1);
  const from = issue('as', 'A1', 3, 0);

  it('missing', () => {
    expect(describeNonceUse({ kind: 'missing' }, null)).toBe('carried no nonce');
    expect(describeNonceUse({ kind: 'missing' }, expected)).toBe('carried no nonce instead of "N2" (or a newer one) supplied by #7');
  });

  it('stale', () => {
    expect(describeNonceUse({ kind: 'stale', sent: 'N1' }, null)).toBe('carried the stale nonce "N1"');
    expect(describeNonceUse({ kind: 'stale', sent: 'N1' }, expected)).toBe('carried the stale nonce "N1" instead of "N2" (or a newer one) supplied by #7');
  });

  it("the other server's, at either level", () => {
    expect(describeNonceUse({ kind: 'foreign', sent: 'A1', from, level: 'FAILURE' }, null)).toBe(
      "carried the other server's nonce \"A1\" (from #3); nonces belong to the server that issued them",
    );
    expect(describeNonceUse({ kind: 'foreign', sent: 'A1', from, level: 'WARNING' }, expected)).toBe(
      "carried the other server's nonce \"A1\" (from #3) instead of \"N2\" (or a newer one) supplied by #7; nonces belong to the server that issued them",
    );
  });

  it('mangled', () => {
    const of = issue('mcp', 'ab,cd', 4, 0);
    expect(describeNonceUse({ kind: 'mangled', sent: 'ab', of }, null)).toBe('carried "ab", a mangled copy of the nonce "ab,cd" from #4; echo DPoP-Nonce byte for byte');
    expect(describeNonceUse({ kind: 'mangled', sent: 'ab', of }, expected)).toBe(
      'carried "ab", a mangled copy of the nonce "ab,cd" from #4 instead of "N2" (or a newer one) supplied by #7; echo DPoP-Nonce byte for byte',
    );
  });

  it('unknown', () => {
    expect(describeNonceUse({ kind: 'unknown', sent: 'zzz' }, null)).toBe('carried the nonce "zzz", which no server issued in this run');
    expect(describeNonceUse({ kind: 'unknown', sent: 'zzz' }, expected)).toBe(
      'carried the nonce "zzz", which no server issued in this run instead of "N2" (or a newer one) supplied by #7',
    );
  });

  it('quotes values as JSON strings', () => {
    expect(describeNonceUse({ kind: 'stale', sent: 'a"b' }, issue('mcp', 'c\\d', 2, 0))).toBe('carried the stale nonce "a\\"b" instead of "c\\\\d" (or a newer one) supplied by #2');
  });
});
