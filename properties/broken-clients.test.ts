import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckId } from '../src/checks/registry.ts';
import { FAULT_NAMES, type FaultName } from '../src/clients/faults.ts';
import { writeReport } from '../src/report/write.ts';
import { fuzz } from '../src/runner/fuzz.ts';
import { scheduleEvents } from '../src/schedule/complexity.ts';
import { FUZZING, fuzzRuns, fuzzSeed, referenceTarget } from './support/targets.ts';

interface Expectation {
  /** The check the shrunk counterexample must name. */
  readonly check: CheckId;
  /** Most events (see `scheduleEvents`) the shrunk schedule may keep: only what triggers the bug. */
  readonly maxEvents: number;
  /** SHOULD-level faults are only WARNINGs: fuzz with `failOn: 'warning'`. */
  readonly warning?: true;
}

/** Each bundled broken client, the check that must catch it and how small its counterexample must shrink. */
const EXPECTED: Record<FaultName, Expectation> = {
  'token-proof-typ-jwt': { check: 'sep-1932-client-token-request-proof', maxEvents: 0 },
  'bearer-scheme': { check: 'sep-1932-client-dpop-auth-scheme', maxEvents: 0 },
  'iat-milliseconds': { check: 'sep-1932-client-fresh-proof', maxEvents: 0 },
  'ignore-as-nonce': { check: 'sep-1932-client-as-nonce', maxEvents: 1 },
  'ignore-rs-nonce': { check: 'sep-1932-client-rs-nonce', maxEvents: 1 },
  'token-type-case-sensitive': { check: 'sep-1932-client-completes', maxEvents: 1 },
  'htu-with-query': { check: 'sep-1932-client-htm-htu-match', maxEvents: 1 },
  'ath-hex': { check: 'sep-1932-client-ath', maxEvents: 0 },
  'jti-counter': { check: 'sep-1932-client-unique-jti', maxEvents: 1 },
  'ignore-advertised-algs': { check: 'sep-1932-client-advertised-alg', maxEvents: 1 },
  'new-key-per-request': { check: 'sep-1932-client-key-binding', maxEvents: 0 },
  'ignore-nonce-on-success': { check: 'sep-1932-client-newest-nonce', maxEvents: 2 },
  'swallow-invalid-proof': { check: 'sep-1932-client-invalid-proof-no-blind-retry', maxEvents: 1 },
  'bearer-after-invalid-token': { check: 'sep-1932-client-no-fallback-on-invalid-token', maxEvents: 1 },
  'unbounded-nonce-retries': { check: 'sep-1932-client-bounded-retries', maxEvents: 1 },
  'accept-unknown-token-type': { check: 'sep-1932-client-unknown-token-type', maxEvents: 1 },
  'resend-after-transient': { check: 'sep-1932-client-fresh-proof-on-retry', maxEvents: 1, warning: true },
  'bearer-token-despite-required': { check: 'sep-1932-client-bound-tokens-required', maxEvents: 1 },
  'dpop-scheme-for-bearer-token': { check: 'sep-1932-client-dpop-auth-scheme', maxEvents: 2 },
  'reuse-refresh-token': { check: 'sep-1932-client-no-grant-reuse', maxEvents: 3 },
  'follow-redirect-with-credentials': { check: 'sep-1932-client-no-cross-origin-credentials', maxEvents: 1 },
  'dpop-jkt-other-key': { check: 'sep-1932-client-dpop-jkt', maxEvents: 0 },
  'strip-token-padding': { check: 'sep-1932-client-bound-token-used', maxEvents: 1 },
};

const runs = fuzzRuns(400, 2000);
const seed = fuzzSeed(1932);

/**
 * The oracle kills every mutant we ship: each broken client is caught within
 * a bounded number of generated schedules (no corpus help), and its
 * counterexample shrinks to only the events needed to trigger the fault.
 */
describe(`every bundled broken client is caught within ${runs} runs (seed ${seed})`, () => {
  it('covers every fault', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...FAULT_NAMES].sort());
  });

  it.each(FAULT_NAMES)('%s', { timeout: 30 * 60_000 }, async (fault) => {
    const spec = EXPECTED[fault];
    const target = referenceTarget([fault]);
    const report = await fuzz({
      target,
      clientName: target.kind === 'function' ? target.name : fault,
      runs,
      seed,
      workers: 2,
      timeoutMs: 20_000,
      maxRequests: 120,
      confirmations: 2,
      maxShrinkRuns: FUZZING ? 300 : 150,
      // One fault, one bug: the first one ends the search (keeping on is tested with combined faults).
      maxBugs: 1,
      ...(spec.warning ? { failOn: 'warning' as const } : {}),
      ...(FUZZING ? { onReport: async (r) => void (await writeReport(path.join('reports', 'broken', fault), r)) } : {}),
    });
    const bug = report.failures[0];
    expect(bug, `${fault} was not caught in ${report.runs} runs (flaky: ${JSON.stringify(report.flaky.map((f) => ({ checks: f.checkIds, confirmation: f.confirmation })))})`).toBeDefined();
    expect(bug!.checkIds).toContain(spec.check);
    expect(bug!.confirmation.reproduced).toBeGreaterThan(0);
    expect(scheduleEvents(bug!.schedule), JSON.stringify(bug!.schedule)).toBeLessThanOrEqual(spec.maxEvents);
  });
});
