/**
 * sep-1932-client-unique-jti on synthetic traces: the verdict when no proof
 * carried a jti, and how a long reused jti is quoted.
 */
import { describe, expect, it } from 'vitest';
import { uniqueJti } from '../../src/checks/unique-jti.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-unique-jti';

describe('sep-1932-client-unique-jti (RFC 9449 §4.2, §11.1)', () => {
  it('§11.1 has nothing to judge when no proof carried a jti (bearer flow, empty jti)', () => {
    const b = new TraceBuilder('Bearer');
    b.add({ server: 'as', at: 0, done: 1, proof: null, issuesToken: 'AT1' });
    b.add({ at: 2, done: 3, token: 'AT1', scheme: 'Bearer', proof: null });
    // An empty jti is no jti (a malformed proof is fresh-proof's finding).
    b.add({ at: 4, done: 5, token: 'AT1', scheme: 'Bearer', proof: { jti: '' } });
    expect(uniqueJti(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No proof with a jti was sent.', evidence: [] });
  });

  it('§11.1 fails a reused jti, quoting at most its first 40 characters and citing both uses', () => {
    const jti = 'a'.repeat(40) + 'TAIL-NOT-QUOTED';
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti } });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti } });
    expect(uniqueJti(b.input())).toEqual({
      id: ID,
      status: 'FAILURE',
      message: `1 proof(s) reused a jti; #2 reused "${'a'.repeat(40)}" first sent in #1.`,
      evidence: [1, 2],
    });
  });
});
