/** sep-1932-client-fresh-proof-on-retry on synthetic traces: what counts as a resent proof. */
import { describe, expect, it } from 'vitest';
import { freshProofOnRetry } from '../../src/checks/fresh-proof-on-retry.ts';
import { TraceBuilder, withToken } from './trace-builder.ts';

const ID = 'sep-1932-client-fresh-proof-on-retry';

describe('sep-1932-client-fresh-proof-on-retry (RFC 9449 §7.3)', () => {
  it('leaves a token request resent after 429 to the token endpoint checks (§7.3 is about resource requests)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, key: 'code', status: 429 });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-1' }, key: 'code', issuesToken: 'AT1' });
    expect(freshProofOnRetry(b.input())).toEqual({ id: ID, status: 'SKIPPED', message: 'No request was retried after a 429/503.', evidence: [] });
  });

  it('does not call two proofless attempts a resent proof (a missing proof is fresh-proof\'s finding)', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, token: 'AT1', proof: null, key: 'list', status: 503 });
    b.add({ at: 4, done: 5, token: 'AT1', proof: null, key: 'list' });
    expect(freshProofOnRetry(b.input())).toEqual({ id: ID, status: 'SUCCESS', message: 'All 1 retr(ies) after 429/503 carried a new proof.', evidence: [2] });
  });
});
