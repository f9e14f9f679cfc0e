/** judge(): the `only` selection runs just the chosen checks, in catalogue order. */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { TraceBuilder } from './trace-builder.ts';

describe('judge', () => {
  it('runs only the selected checks, in catalogue order whatever the order asked (unique-jti §11.1, newest-nonce §8.2)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-jti-0000001' }, issuesToken: 'AT1' });
    b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'mcp-jti-000001' } });
    expect(judge(b.input(), ['sep-1932-client-newest-nonce', 'sep-1932-client-unique-jti'])).toEqual([
      { id: 'sep-1932-client-unique-jti', status: 'SUCCESS', message: 'All 2 jti values were unique.', evidence: [] },
      { id: 'sep-1932-client-newest-nonce', status: 'SKIPPED', message: 'No server supplied a nonce in this run.', evidence: [] },
    ]);
    expect(judge(b.input(), [])).toEqual([]);
  });
});
