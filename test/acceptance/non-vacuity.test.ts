import { describe, expect, it } from 'vitest';
import { CHECK_IDS, type CheckId } from '../../src/checks/registry.ts';
import type { CheckStatus } from '../../src/checks/types.ts';
import { runClient } from '../../src/clients/reference.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import { FAULT_NAMES } from '../../src/clients/faults.ts';
import type { ClientTarget } from '../../src/driver/types.ts';
import { PRESETS, type PresetName } from '../../src/schedule/presets.ts';
import { runOnce } from '../../src/runner/run-once.ts';

/**
 * Every check in the catalogue is non-vacuous: the reference client passes
 * it under every preset, and the broken client aimed at it fails it — and
 * fails nothing it should not.
 */
function client(faults: FaultName[]): ClientTarget {
  return {
    kind: 'function',
    name: faults.length === 0 ? 'reference' : `broken:${faults.join(',')}`,
    run: (url, options) => runClient(url, { context: options.context, signal: options.signal, log: options.log, faults }),
  };
}

async function verdicts(faults: FaultName[], preset: PresetName, maxRequests?: number): Promise<Record<string, CheckStatus>> {
  const { results } = await runOnce({
    target: client(faults),
    schedule: PRESETS[preset].schedule,
    timeoutMs: 20_000,
    ...(maxRequests !== undefined ? { maxRequests } : {}),
  });
  return Object.fromEntries(results.map((r) => [r.id, r.status]));
}

const flagged = (v: Record<string, CheckStatus>) => Object.entries(v).filter(([, s]) => s === 'FAILURE' || s === 'WARNING');

describe('the reference client', () => {
  it.each(Object.keys(PRESETS) as PresetName[])('passes every check under preset %s', async (preset) => {
    const v = await verdicts([], preset);
    expect(flagged(v)).toEqual([]);
  });
});

/** fault → the preset that triggers it and the exact set of checks it must fail. */
const BROKEN: Record<FaultName, { preset: PresetName; expect: Partial<Record<CheckId, CheckStatus>>; maxRequests?: number }> = {
  'token-proof-typ-jwt': { preset: 'dpop', expect: { 'sep-1932-client-token-request-proof': 'FAILURE' } },
  'bearer-scheme': { preset: 'dpop', expect: { 'sep-1932-client-dpop-auth-scheme': 'FAILURE' } },
  'iat-milliseconds': { preset: 'dpop', expect: { 'sep-1932-client-fresh-proof': 'FAILURE' } },
  'ignore-as-nonce': { preset: 'as-use-dpop-nonce', expect: { 'sep-1932-client-as-nonce': 'FAILURE' } },
  'ignore-rs-nonce': { preset: 'rs-use-dpop-nonce', expect: { 'sep-1932-client-rs-nonce': 'FAILURE' } },
  // Refusing a "dpop" token is a client that stops for no reason: the liveness finding names token_type.
  'token-type-case-sensitive': { preset: 'token-type-lowercase', expect: { 'sep-1932-client-completes': 'FAILURE' } },
  'htu-with-query': { preset: 'mcp-url-query', expect: { 'sep-1932-client-htm-htu-match': 'FAILURE' } },
  'ath-hex': { preset: 'dpop', expect: { 'sep-1932-client-ath': 'FAILURE' } },
  'jti-counter': { preset: 'dpop', expect: { 'sep-1932-client-unique-jti': 'FAILURE' } },
  'ignore-advertised-algs': { preset: 'algs-without-es256', expect: { 'sep-1932-client-advertised-alg': 'FAILURE' } },
  'new-key-per-request': { preset: 'dpop', expect: { 'sep-1932-client-key-binding': 'FAILURE' } },
  'ignore-nonce-on-success': { preset: 'rs-nonce-rotation', expect: { 'sep-1932-client-newest-nonce': 'FAILURE' } },
  'swallow-invalid-proof': { preset: 'as-invalid-dpop-proof', expect: { 'sep-1932-client-invalid-proof-no-blind-retry': 'FAILURE' } },
  // Retrying with Bearer is also, by definition, a Bearer presentation of a bound token.
  'bearer-after-invalid-token': {
    preset: 'rs-invalid-token',
    expect: { 'sep-1932-client-no-fallback-on-invalid-token': 'FAILURE', 'sep-1932-client-dpop-auth-scheme': 'FAILURE' },
  },
  'unbounded-nonce-retries': { preset: 'rs-endless-nonce', expect: { 'sep-1932-client-bounded-retries': 'FAILURE' }, maxRequests: 60 },
  'accept-unknown-token-type': { preset: 'token-type-unknown', expect: { 'sep-1932-client-unknown-token-type': 'FAILURE' } },
  'resend-after-transient': { preset: 'rs-transient-503', expect: { 'sep-1932-client-fresh-proof-on-retry': 'WARNING' } },
  'bearer-token-despite-required': { preset: 'bearer-token-binding-required', expect: { 'sep-1932-client-bound-tokens-required': 'FAILURE' } },
  'dpop-scheme-for-bearer-token': { preset: 'bearer-token-binding-optional', expect: { 'sep-1932-client-dpop-auth-scheme': 'FAILURE' } },
  'reuse-refresh-token': { preset: 'rs-invalid-token-twice', expect: { 'sep-1932-client-no-grant-reuse': 'FAILURE' } },
  'follow-redirect-with-credentials': { preset: 'mcp-redirect-elsewhere', expect: { 'sep-1932-client-no-cross-origin-credentials': 'FAILURE' } },
  'dpop-jkt-other-key': { preset: 'dpop', expect: { 'sep-1932-client-dpop-jkt': 'FAILURE' } },
  'strip-token-padding': { preset: 'opaque-token-padded', expect: { 'sep-1932-client-bound-token-used': 'FAILURE' } },
};

describe('each broken client', () => {
  it('covers every check in the catalogue and every fault', () => {
    const targeted = new Set(Object.values(BROKEN).flatMap((b) => Object.keys(b.expect)));
    expect([...targeted].sort()).toEqual([...CHECK_IDS].sort());
    expect(Object.keys(BROKEN).sort()).toEqual([...FAULT_NAMES].sort());
  });

  it.each(Object.entries(BROKEN) as [FaultName, (typeof BROKEN)[FaultName]][])('%s fails exactly its check(s)', async (fault, spec) => {
    const v = await verdicts([fault], spec.preset, spec.maxRequests);
    expect(Object.fromEntries(flagged(v))).toEqual(spec.expect);
    // The same schedule does not trouble the reference client: the fault alone is to blame.
    expect(flagged(await verdicts([], spec.preset, spec.maxRequests))).toEqual([]);
  });
});
