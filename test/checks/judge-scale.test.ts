/**
 * The judge on a retry storm: a client that retries without bound is stopped
 * at the request cap, and its whole capped trace is judged. Every nonce
 * question once scanned every delivery, so judging 500 requests took about
 * 3–4 s, longer than the broken client's run itself. The bound is on
 * this process's CPU time, not wall time, so a busy machine (the whole suite
 * running beside it) does not move it much, and it leaves a wide margin over
 * the indexed rules (about 0.15 s of CPU on a 2-core machine; the old rules
 * took 2.6 s of CPU).
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { TraceBuilder, type Step } from './trace-builder.ts';

/** Token request i, answered 400 use_dpop_nonce with nonce N{i}, its proof carrying N{i-1}. */
function stormStep(i: number): Step {
  return {
    server: 'as',
    at: 2 * i,
    done: 2 * i + 1,
    key: 'token',
    proof: { jti: `storm-${i}`, ...(i === 0 ? {} : { nonce: `N${i - 1}` }) },
    status: 400,
    error: 'use_dpop_nonce',
    nonce: `N${i}`,
  };
}

describe('judge on a 500-request retry storm', () => {
  it('judges every check in well under 1.5 s of CPU, each challenge followed', () => {
    const b = new TraceBuilder();
    for (let i = 0; i < 500; i++) b.add(stormStep(i));
    const before = process.cpuUsage();
    const results = judge(b.input({}, { maxRetries: 5 }));
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    const byId = new Map(results.map((r) => [r.id, r]));
    expect(byId.get('sep-1932-client-as-nonce')).toMatchObject({ status: 'SUCCESS', message: '500 challenge(s); every retry (499) carried the supplied nonce or a newer one.' });
    expect(byId.get('sep-1932-client-bounded-retries')).toMatchObject({ status: 'FAILURE' });
    expect(cpuMs).toBeLessThan(1500);
  });
});
