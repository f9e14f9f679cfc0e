import { describe, expect, it } from 'vitest';
import { completes } from '../../src/checks/completes.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

/** Liveness, judged only where the servers gave a conformant client no reason to stop. */
describe('sep-1932-client-completes', () => {
  it('names the nonce challenge a failed client never retried', () => {
    const b = new TraceBuilder();
    withToken(b);
    const challenged = b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' });
    const r = completes(b.input({ exitCode: 1, stderr: 'error: boom' }));
    expect(r.status).toBe('FAILURE');
    expect(r.message).toMatch(/gave up on the use_dpop_nonce challenge #1 POST mcp .* from the MCP server/);
    expect(r.message).toContain('"error: boom"');
    expect(r.evidence).toEqual([challenged]);
    expect(completes(b.input({ timedOut: true, exitCode: null })).status).toBe('FAILURE');
  });

  it('names a DPoP token the client received and never used, with its spelling', () => {
    const b = new TraceBuilder('dpop');
    withToken(b);
    const r = completes(b.input({ exitCode: 1 }));
    expect(r.status).toBe('FAILURE');
    expect(r.message).toMatch(/received the DPoP-bound token of #0 \(token_type "dpop": token_type is case-insensitive/);
  });

  it('passes a client that finished, even if it abandoned a challenged request on the way out', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' });
    expect(completes(b.input({ exitCode: 0 })).status).toBe('SUCCESS');
  });

  it.each([
    ['invalid_token (RFC 6750 §3.1: renewing is a MAY)', { status: 401, error: 'invalid_token' }],
    ['a second challenge to the retry (retries are bounded)', null],
    ['a 503', { status: 503, error: null }],
    ['a redirect', { status: 307, error: null }],
  ] as const)('does not judge a client that stopped after %s', (_what, answer) => {
    const b = new TraceBuilder();
    withToken(b);
    if (answer === null) {
      b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'x' });
      b.add({ at: 30, done: 40, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, status: 401, error: 'use_dpop_nonce', nonce: 'N2', key: 'x' });
    } else {
      b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, ...answer });
    }
    expect(completes(b.input({ exitCode: 1 })).status).toBe('SKIPPED');
  });

  it.each([
    ['a token_type that is not DPoP', scheduleWith({ as: { tokenType: 'Bearer' } })],
    ['no ES256 among the advertised algorithms', scheduleWith({ as: { algs: ['PS256'] } })],
    ['a Bearer-only challenge', scheduleWith({ mcp: { challenge: 'Bearer', boundTokensRequired: null } })],
  ])('does not judge a client that stopped in a world with %s', (_what, schedule) => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' } });
    expect(completes({ ...b.input({ exitCode: 1 }), schedule }).status).toBe('SKIPPED');
  });

  it('names the last exchange when the client never asked for a token', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' } });
    const last = b.add({ endpoint: 'prm', method: 'GET', at: 2, done: 3 });
    const r = completes(b.input({ exitCode: 1 }));
    expect(r.status).toBe('FAILURE');
    expect(r.message).toMatch(/stopped after reading the protected resource metadata \(#1 GET prm, answered 200\) without ever requesting a token/);
    expect(r.evidence).toEqual([last]);
  });
});
