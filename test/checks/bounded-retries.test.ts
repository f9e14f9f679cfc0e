/** sep-1932-client-bounded-retries on synthetic traces: the retry storm's verdict, word for word. */
import { describe, expect, it } from 'vitest';
import { boundedRetries } from '../../src/checks/bounded-retries.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-bounded-retries';

describe('sep-1932-client-bounded-retries (RFC 9449 §8, §9)', () => {
  it('fails the first retry past the limit, citing it and the challenge it answered', () => {
    const b = new TraceBuilder();
    withToken(b);
    const challenge = { status: 401, error: 'use_dpop_nonce' } as const;
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm-1' }, key: 'list', ...challenge, nonce: 'n1' });
    b.add({ at: 4, done: 5, token: 'AT1', proof: { jti: 'm-2', nonce: 'n1' }, key: 'list', ...challenge, nonce: 'n2' });
    b.add({ at: 6, done: 7, token: 'AT1', proof: { jti: 'm-3', nonce: 'n2' }, key: 'list', ...challenge, nonce: 'n3' });
    expect(boundedRetries(b.input({}, { maxRetries: 1 }))).toEqual({
      id: ID,
      status: 'FAILURE',
      message: '#3 is retry 2 of one request after consecutive use_dpop_nonce challenges (limit 1).',
      evidence: [2, 3],
    });
    expect(boundedRetries(b.input({}, { maxRetries: 2 }))).toEqual({
      id: ID,
      status: 'SUCCESS',
      message: 'At most 2 consecutive nonce retr(ies) for one request (limit 2).',
      evidence: [],
    });
  });
});
