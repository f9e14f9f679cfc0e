/**
 * sep-1932-client-invalid-proof-no-blind-retry on synthetic traces. RFC 9449
 * §5 and §7.1: invalid_dpop_proof says the proof itself was bad, so the same
 * proof sent again (§11.1 replay) or a loop of retries cannot help, and a
 * client that cannot recover must fail visibly and name the error. Each test
 * pins the whole verdict: status, exact message and evidence.
 */
import { describe, expect, it } from 'vitest';
import { invalidProofNoBlindRetry } from '../../src/checks/invalid-proof-no-blind-retry.ts';
import { AS, MCP, TraceBuilder, withToken, type Step } from './trace-builder.ts';

const ID = 'sep-1932-client-invalid-proof-no-blind-retry';
/** How an MCP server answers a rejected proof (RFC 9449 §7.1). */
const REJECTED = { status: 401, error: 'invalid_dpop_proof', challenge: 'DPoP error="invalid_dpop_proof"' } as const;
/** How the token endpoint answers a rejected proof (RFC 9449 §5). */
const TOKEN_REJECTED = { server: 'as', status: 400, error: 'invalid_dpop_proof' } as const;
/** A client that gave up and said why, on stderr and with a non-zero exit. */
const LOUD = { exitCode: 1, stderr: 'Error: MCP server answered 401 invalid_dpop_proof' };

function swallowed(seq: number) {
  return {
    id: ID,
    status: 'FAILURE',
    message: `#${seq} was rejected with invalid_dpop_proof and never recovered, yet the client exited 0 (the error was swallowed).`,
    evidence: [seq],
  };
}

function handled(...seqs: number[]) {
  return { id: ID, status: 'SUCCESS', message: `${seqs.length} invalid_dpop_proof rejection(s) handled without blind retries.`, evidence: seqs };
}

describe('sep-1932-client-invalid-proof-no-blind-retry (RFC 9449 §5, §7.1, §11.1)', () => {
  it('skips a run where no proof was rejected', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' } });
    expect(invalidProofNoBlindRetry(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No request was rejected with invalid_dpop_proof.', evidence: [] });
  });

  it('§11.1: fails a retry that resends the rejected proof (same jti), citing the rejection and the resend', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' }, ...REJECTED });
    b.add({ at: 4, done: 5, token: 'AT1', key: 'list', proof: { jti: 'm-1' } });
    expect(invalidProofNoBlindRetry(b.input())).toEqual({ id: ID, status: 'FAILURE', message: '#2 resent the proof rejected in #1 (same jti).', evidence: [1, 2] });
  });

  it('§4.2: a rejected proof without a jti is no "same proof" as a later request that carries no proof at all', () => {
    // The rejected proof lacked its jti (the reason it was invalid); the client
    // recovered with a fresh proof and later fetched resource metadata without
    // one. Two missing jtis are not a resent proof.
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: '' }, ...REJECTED });
    b.add({ at: 4, done: 5, token: 'AT1', key: 'list', proof: { jti: 'm-2' } });
    b.add({ at: 6, done: 7, endpoint: 'prm', method: 'GET', url: `${MCP}/.well-known/oauth-protected-resource`, proof: null });
    expect(invalidProofNoBlindRetry(b.input())).toEqual(handled(1));
  });

  it('§5: fails more than maxRetries fresh-proof retries in a row after invalid_dpop_proof (a loop), citing the last pair', () => {
    const b = new TraceBuilder();
    withToken(b);
    for (let i = 1; i <= 4; i++) b.add({ at: 2 * i, done: 2 * i + 1, token: 'AT1', key: 'list', proof: { jti: `m-${i}` }, ...REJECTED });
    expect(invalidProofNoBlindRetry(b.input({}, { maxRetries: 2 }))).toEqual({
      id: ID,
      status: 'FAILURE',
      message: "The client retried #4's request 3 times in a row after invalid_dpop_proof (a loop).",
      evidence: [3, 4],
    });
  });

  it('§5: allows exactly maxRetries retries, each with a fresh proof, that end in success', () => {
    // #2 is the first retry, #3 the second: two retries with maxRetries 2 is no loop.
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' }, ...REJECTED });
    b.add({ at: 4, done: 5, token: 'AT1', key: 'list', proof: { jti: 'm-2' }, ...REJECTED });
    b.add({ at: 6, done: 7, token: 'AT1', key: 'list', proof: { jti: 'm-3' } });
    expect(invalidProofNoBlindRetry(b.input({}, { maxRetries: 2 }))).toEqual(handled(1, 2));
  });

  it('§5, §8: counts only retries that follow an invalid_dpop_proof; a use_dpop_nonce challenge in between ends the streak', () => {
    // #2 (a fresh proof after the rejection) is answered with a nonce challenge,
    // and #3 (the proof with that nonce, as §8 asks) is a retry after
    // use_dpop_nonce, not after invalid_dpop_proof: one such retry, within maxRetries 1.
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' }, ...REJECTED });
    b.add({ at: 4, done: 5, token: 'AT1', key: 'list', proof: { jti: 'm-2' }, status: 401, error: 'use_dpop_nonce', nonce: 'n-1', challenge: 'DPoP error="use_dpop_nonce"' });
    b.add({ at: 6, done: 7, token: 'AT1', key: 'list', proof: { jti: 'm-3', nonce: 'n-1' } });
    expect(invalidProofNoBlindRetry(b.input({}, { maxRetries: 1 }))).toEqual(handled(1));
  });

  describe('an MCP POST rejected with invalid_dpop_proof must be recovered, or the client must fail loudly (§7.1)', () => {
    function rejectedOnce(): TraceBuilder {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' }, ...REJECTED });
      return b;
    }

    it('passes a retry of the same request with a fresh proof that succeeds, even when the client exits 0', () => {
      const b = rejectedOnce();
      b.add({ at: 4, done: 5, token: 'AT1', key: 'list', proof: { jti: 'm-2' } });
      expect(invalidProofNoBlindRetry(b.input())).toEqual(handled(1));
    });

    it.each<[string, Omit<Step, 'at' | 'done'>]>([
      ['its retry was never answered (status 0)', { token: 'AT1', key: 'list', proof: { jti: 'm-2' }, status: 0 }],
      ['its retry was answered with a redirect (300), not a success', { token: 'AT1', key: 'list', proof: { jti: 'm-2' }, status: 300 }],
      ['only a different request succeeded afterwards', { token: 'AT1', key: 'call', proof: { jti: 'm-2' } }],
    ])('fails a client that exits 0 although the rejected request was never recovered: %s', (_, step) => {
      const b = rejectedOnce();
      b.add({ at: 4, done: 5, ...step });
      expect(invalidProofNoBlindRetry(b.input())).toEqual(swallowed(1));
    });

    it('fails exit 0 when only an earlier send of the same request had succeeded: success before the rejection recovers nothing', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' } });
      b.add({ at: 4, done: 5, token: 'AT1', key: 'list', proof: { jti: 'm-2' }, ...REJECTED });
      expect(invalidProofNoBlindRetry(b.input())).toEqual(swallowed(2));
    });

    it('fails a client that hangs until the timeout instead of failing', () => {
      expect(invalidProofNoBlindRetry(rejectedOnce().input({ exitCode: null, signal: 'SIGKILL', timedOut: true }))).toEqual({
        id: ID,
        status: 'FAILURE',
        message: 'After invalid_dpop_proof on #1 the client hung until the timeout instead of failing.',
        evidence: [1],
      });
    });

    it('warns when the client fails but its output never names invalid_dpop_proof (not actionable)', () => {
      expect(invalidProofNoBlindRetry(rejectedOnce().input({ exitCode: 1, stderr: 'Error: request failed with HTTP 401' }))).toEqual({
        id: ID,
        status: 'WARNING',
        message: 'The client failed after invalid_dpop_proof on #1, but its output never names the error; make it actionable.',
        evidence: [1],
      });
    });

    it('passes a client that fails with a non-zero exit and names the error', () => {
      expect(invalidProofNoBlindRetry(rejectedOnce().input(LOUD))).toEqual(handled(1));
    });
  });

  it('does not require recovery of requests the client can do without: the SSE GET stream and a POST to another endpoint (e.g. PAR, §10.1)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' } });
    b.add({ at: 4, done: 5, method: 'GET', token: 'AT1', key: 'stream', proof: { jti: 'm-2' }, ...REJECTED });
    b.add({ server: 'as', endpoint: 'other', url: `${AS}/par`, at: 6, done: 7, proof: { jti: 'as-2' }, status: 400, error: 'invalid_dpop_proof' });
    expect(invalidProofNoBlindRetry(b.input())).toEqual(handled(2, 3));
  });

  describe('a token request rejected with invalid_dpop_proof (§5) before any work was done must end in a token, or in a loud failure', () => {
    it('passes a background refresh rejected after a credentialed MCP POST succeeded: the work was done', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, token: 'AT1', key: 'list', proof: { jti: 'm-1' } });
      b.add({ at: 4, done: 5, proof: { jti: 'as-2' }, ...TOKEN_REJECTED });
      expect(invalidProofNoBlindRetry(b.input())).toEqual(handled(2));
    });

    // Each of these is a 2xx or a request, but not a successful credentialed MCP
    // POST, so it is not "work done" that would excuse the failed token request.
    it.each<[string, Omit<Step, 'at' | 'done'>[]]>([
      ['a token request authenticated with client_secret_basic', [{ server: 'as', token: 'Y2xpZW50OnNlY3JldA==', scheme: 'Basic', proof: { jti: 'as-1' }, issuesToken: 'AT1' }]],
      ['an SSE GET stream opened with the token', [{ server: 'as', proof: { jti: 'as-1' }, issuesToken: 'AT1' }, { method: 'GET', token: 'AT1', proof: { jti: 'm-1' } }]],
      ['an MCP POST sent without a token', [{ proof: null }]],
      ['a credentialed MCP POST never answered (status 0)', [{ server: 'as', proof: { jti: 'as-1' }, issuesToken: 'AT1' }, { token: 'AT1', proof: { jti: 'm-1' }, status: 0 }]],
      ['a credentialed MCP POST answered with a redirect (300)', [{ server: 'as', proof: { jti: 'as-1' }, issuesToken: 'AT1' }, { token: 'AT1', proof: { jti: 'm-1' }, status: 300 }]],
    ])('fails a swallowed token rejection when the only earlier success was %s', (_, steps) => {
      const b = new TraceBuilder();
      steps.forEach((step, i) => b.add({ at: 2 * i, done: 2 * i + 1, ...step }));
      const r = b.add({ at: 100, done: 101, proof: { jti: 'as-2' }, ...TOKEN_REJECTED });
      expect(invalidProofNoBlindRetry(b.input())).toEqual(swallowed(r));
    });
  });
});
