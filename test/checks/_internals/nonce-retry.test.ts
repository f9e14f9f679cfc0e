/**
 * judgeNonceRetries, the rule behind sep-1932-client-as-nonce and
 * sep-1932-client-rs-nonce, on synthetic traces: which answers count as
 * challenges (a use_dpop_nonce with a nonce, to a proof, at the token or MCP
 * endpoint of the server judged), which later requests are their retries
 * (same retry key, arrived once the challenge was answered), when a challenge
 * is honoured, and how failures and warnings are worded, counted and cited.
 * Results are compared whole, messages word for word.
 */
import { describe, expect, it } from 'vitest';
import { judgeNonceRetries } from '../../../src/checks/_internals/nonce-retry.ts';
import type { ServerRole } from '../../../src/trace/types.ts';
import type { CheckId } from '../../../src/checks/registry.ts';
import type { CheckResult } from '../../../src/checks/types.ts';
import { MCP, TraceBuilder, withToken, type Step } from '../trace-builder.ts';

const AS_ID: CheckId = 'sep-1932-client-as-nonce';
const RS_ID: CheckId = 'sep-1932-client-rs-nonce';

function judge(b: TraceBuilder, server: ServerRole): CheckResult {
  return judgeNonceRetries(b.trace(), server, server === 'as' ? AS_ID : RS_ID);
}

const AS_SKIPPED: CheckResult = { id: AS_ID, status: 'SKIPPED', message: 'The authorization server issued no use_dpop_nonce challenge to a DPoP proof in this run.', evidence: [] };
const RS_SKIPPED: CheckResult = { id: RS_ID, status: 'SKIPPED', message: 'The MCP server issued no use_dpop_nonce challenge to a DPoP proof in this run.', evidence: [] };

function success(id: CheckId, challenges: number[], honoured: number): CheckResult {
  return { id, status: 'SUCCESS', message: `${challenges.length} challenge(s); every retry (${honoured}) carried the supplied nonce or a newer one.`, evidence: challenges };
}

/** An MCP POST with AT1 and a proof (nonce claim `sent`), key `key`. */
function mcp(at: number, done: number, key: string, sent?: string, extra: Partial<Step> = {}): Step {
  return { at, done, key, token: 'AT1', proof: { jti: `m-${at}`, ...(sent === undefined ? {} : { nonce: sent }) }, ...extra };
}

/** An MCP POST answered 401 use_dpop_nonce with `nonce` (RFC 9449 §9). */
function mcpChallenge(at: number, done: number, key: string, nonce: string, sent?: string): Step {
  return mcp(at, done, key, sent, { status: 401, error: 'use_dpop_nonce', nonce });
}

/** A token request answered 400 use_dpop_nonce with `nonce` (RFC 9449 §8). */
function tokenChallenge(at: number, done: number, key: string, nonce: string): Step {
  return { server: 'as', at, done, key, proof: { jti: `as-${at}` }, status: 400, error: 'use_dpop_nonce', nonce };
}

describe('judgeNonceRetries: which answers are challenges (RFC 9449 §8, §9)', () => {
  it('is SKIPPED, naming the server judged, when that server issued no challenge', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcp(2, 3, 'k'));
    expect(judge(b, 'as')).toEqual(AS_SKIPPED);
    expect(judge(b, 'mcp')).toEqual(RS_SKIPPED);
  });

  it("counts only the judged server's challenges", () => {
    const b = new TraceBuilder();
    b.add(tokenChallenge(0, 1, 't', 'A1'));
    expect(judge(b, 'mcp')).toEqual(RS_SKIPPED);
    expect(judge(b, 'as')).toEqual(success(AS_ID, [0], 0));
    const c = new TraceBuilder();
    withToken(c);
    c.add(mcpChallenge(2, 3, 'k', 'N1'));
    expect(judge(c, 'as')).toEqual(AS_SKIPPED);
    expect(judge(c, 'mcp')).toEqual(success(RS_ID, [1], 0));
  });

  it('counts only challenges at the token or MCP endpoint', () => {
    const b = new TraceBuilder();
    b.add({ endpoint: 'other', url: `${MCP}/hook`, at: 0, done: 1, key: 'k', proof: { jti: 'o' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' });
    b.add({ endpoint: 'other', url: `${MCP}/hook`, at: 2, done: 3, key: 'k', proof: { jti: 'p' } });
    expect(judge(b, 'mcp')).toEqual(RS_SKIPPED);
  });

  it('counts only use_dpop_nonce: not another error, nor a success, that delivered a nonce', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, key: 't', proof: { jti: 'a' }, status: 400, error: 'invalid_dpop_proof', nonce: 'A1' });
    b.add({ server: 'as', at: 2, done: 3, key: 't', proof: { jti: 'b' }, nonce: 'A2', issuesToken: 'AT1' });
    b.add({ server: 'as', at: 4, done: 5, key: 't', proof: { jti: 'c' } });
    expect(judge(b, 'as')).toEqual(AS_SKIPPED);
  });

  it('counts only a challenge that delivered a nonce', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, key: 't', proof: { jti: 'a' }, status: 400, error: 'use_dpop_nonce' });
    b.add({ server: 'as', at: 2, done: 3, key: 't', proof: { jti: 'b' } });
    expect(judge(b, 'as')).toEqual(AS_SKIPPED);
  });

  it('§9: counts only a challenge to a request that carried a proof, never to a bearer request', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, key: 'k', token: 'AT1', scheme: 'Bearer', proof: null, status: 401, error: 'use_dpop_nonce', nonce: 'N1' });
    b.add({ at: 4, done: 5, key: 'k', token: 'AT1', scheme: 'Bearer', proof: null });
    expect(judge(b, 'mcp')).toEqual(RS_SKIPPED);
  });
});

describe('judgeNonceRetries: which requests are retries', () => {
  it('a challenge never retried is left to sep-1932-client-completes', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'k', 'N1'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [1], 0));
  });

  it('a request with the same key that arrived in the millisecond the challenge was answered is a retry', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 5, 'k', 'N1'));
    b.add(mcp(5, 6, 'k'));
    expect(judge(b, 'mcp')).toEqual({
      id: RS_ID,
      status: 'FAILURE',
      message: 'retry #2 POST mcp (tools/list) carried no nonce instead of "N1" (or a newer one) supplied by #1.',
      evidence: [1, 2],
    });
  });

  it('a twin that arrived a millisecond before the challenge was answered is no retry', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 5, 'k', 'N1'));
    b.add(mcp(4, 6, 'k'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [1], 0));
  });

  it('neither the challenged request itself nor one that arrived before it is its retry, even in the same millisecond', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcp(5, 6, 'k'));
    b.add(mcpChallenge(5, 5, 'k', 'N1'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [2], 0));
  });

  it('a later request with another retry key is no retry', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'k', 'N1'));
    b.add(mcp(4, 5, 'other'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [1], 0));
  });
});

describe('judgeNonceRetries: honoured challenges', () => {
  it('§8: a token retry with the supplied nonce honours the challenge', () => {
    const b = new TraceBuilder();
    b.add(tokenChallenge(0, 1, 't', 'A1'));
    b.add({ server: 'as', at: 2, done: 3, key: 't', proof: { jti: 'b', nonce: 'A1' }, issuesToken: 'AT1' });
    expect(judge(b, 'as')).toEqual(success(AS_ID, [0], 1));
  });

  it('§9: an MCP retry with the supplied nonce honours the challenge', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'k', 'N1'));
    b.add(mcp(4, 5, 'k', 'N1'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [1], 1));
  });

  it('a challenge is honoured when any of its retries carries the nonce, though a twin went out without it', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'k', 'N1'));
    b.add(mcp(4, 5, 'k'));
    b.add(mcp(4, 6, 'k', 'N1'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [1], 1));
  });

  it('counts every honoured challenge and cites every challenge, retried or not', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'a', 'N1'));
    b.add(mcp(4, 5, 'a', 'N1'));
    b.add(mcpChallenge(6, 7, 'b', 'N2', 'N1'));
    b.add(mcp(8, 9, 'b', 'N2'));
    b.add(mcpChallenge(10, 11, 'c', 'N3', 'N2'));
    expect(judge(b, 'mcp')).toEqual(success(RS_ID, [1, 3, 5], 2));
  });
});

describe('judgeNonceRetries: findings', () => {
  it('§8: a token retry without the nonce fails, naming the retry and the challenge', () => {
    const b = new TraceBuilder();
    b.add(tokenChallenge(0, 1, 't', 'A1'));
    b.add({ server: 'as', at: 2, done: 3, key: 't', proof: { jti: 'b' } });
    expect(judge(b, 'as')).toEqual({
      id: AS_ID,
      status: 'FAILURE',
      message: 'retry #1 POST token carried no nonce instead of "A1" (or a newer one) supplied by #0.',
      evidence: [0, 1],
    });
  });

  it('when no retry carries an acceptable nonce, the first retry is blamed', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'k', 'N1'));
    b.add(mcp(4, 5, 'k', 'zzz'));
    b.add(mcp(6, 7, 'k'));
    expect(judge(b, 'mcp')).toEqual({
      id: RS_ID,
      status: 'FAILURE',
      message: 'retry #2 POST mcp (tools/list) carried the nonce "zzz", which no server issued in this run instead of "N1" (or a newer one) supplied by #1.',
      evidence: [1, 2],
    });
  });

  it('§8.2: a retry with an older nonce than the one supplied is stale', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcp(2, 3, 'a', undefined, { nonce: 'N1' }));
    b.add(mcpChallenge(4, 5, 'k', 'N2', 'N1'));
    b.add(mcp(6, 7, 'k', 'N1'));
    expect(judge(b, 'mcp')).toEqual({
      id: RS_ID,
      status: 'FAILURE',
      message: 'retry #3 POST mcp (tools/list) carried the stale nonce "N1" instead of "N2" (or a newer one) supplied by #2.',
      evidence: [2, 3],
    });
  });

  it('names the first failed challenge and counts the others, citing them all', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add(mcpChallenge(2, 3, 'a', 'N1'));
    b.add(mcp(4, 5, 'a'));
    b.add(mcpChallenge(6, 7, 'b', 'N2'));
    b.add(mcp(8, 9, 'b'));
    expect(judge(b, 'mcp')).toEqual({
      id: RS_ID,
      status: 'FAILURE',
      message: 'retry #2 POST mcp (tools/list) carried no nonce instead of "N1" (or a newer one) supplied by #1 (and 1 more).',
      evidence: [1, 2, 3, 4],
    });
    b.add(mcpChallenge(10, 11, 'c', 'N3'));
    b.add(mcp(12, 13, 'c'));
    expect(judge(b, 'mcp')).toEqual({
      id: RS_ID,
      status: 'FAILURE',
      message: 'retry #2 POST mcp (tools/list) carried no nonce instead of "N1" (or a newer one) supplied by #1 (and 2 more).',
      evidence: [1, 2, 3, 4, 5, 6],
    });
  });

  describe("§9: the other server's nonce on the retry", () => {
    /** The AS delivers A (#2) concurrently with the MCP challenge (#1); the retry (#3) carries A. */
    function foreignRetry(sameOrigin: boolean): TraceBuilder {
      const b = new TraceBuilder('DPoP', { sameOrigin });
      withToken(b);
      b.add(mcpChallenge(2, 3, 'k', 'M1'));
      b.add({ server: 'as', at: 3, done: 4, key: 'r', proof: { jti: 'as-2' }, nonce: 'A' });
      b.add(mcp(5, 6, 'k', 'A'));
      return b;
    }
    const FOREIGN = 'retry #3 POST mcp (tools/list) carried the other server\'s nonce "A" (from #2) instead of "M1" (or a newer one) supplied by #1; nonces belong to the server that issued them.';

    it('fails on separate origins', () => {
      expect(judge(foreignRetry(false), 'mcp')).toEqual({ id: RS_ID, status: 'FAILURE', message: FOREIGN, evidence: [1, 3] });
    });

    it('is a WARNING on a shared origin when the nonce may have been the newest the client had for that origin', () => {
      expect(judge(foreignRetry(true), 'mcp')).toEqual({ id: RS_ID, status: 'WARNING', message: FOREIGN, evidence: [1, 3] });
    });

    it('fails on a shared origin when the nonce was provably in hand before the challenge (stale for the origin too)', () => {
      const b = new TraceBuilder('DPoP', { sameOrigin: true });
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, nonce: 'A', issuesToken: 'AT1' });
      b.add(mcpChallenge(2, 3, 'k', 'M1'));
      b.add(mcp(4, 5, 'k', 'A'));
      expect(judge(b, 'mcp')).toEqual({
        id: RS_ID,
        status: 'FAILURE',
        message: 'retry #2 POST mcp (tools/list) carried the other server\'s nonce "A" (from #0) instead of "M1" (or a newer one) supplied by #1; nonces belong to the server that issued them.',
        evidence: [1, 2],
      });
    });

    it('names the first of several warnings without counting the others, and cites them all', () => {
      const b = foreignRetry(true);
      b.add(mcpChallenge(7, 8, 'k2', 'M2'));
      b.add(mcp(9, 10, 'k2', 'A'));
      expect(judge(b, 'mcp')).toEqual({ id: RS_ID, status: 'WARNING', message: FOREIGN, evidence: [1, 3, 4, 5] });
    });

    it('a failure outweighs a warning, and only the failures are cited', () => {
      const b = foreignRetry(true);
      b.add(mcpChallenge(7, 8, 'k2', 'M2'));
      b.add(mcp(9, 10, 'k2'));
      expect(judge(b, 'mcp')).toEqual({
        id: RS_ID,
        status: 'FAILURE',
        message: 'retry #5 POST mcp (tools/list) carried no nonce instead of "M2" (or a newer one) supplied by #4.',
        evidence: [4, 5],
      });
    });
  });
});
