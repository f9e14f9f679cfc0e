import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/checks/registry.ts';
import type { CheckStatus } from '../../src/checks/types.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import { FAULT_NAMES } from '../../src/clients/faults.ts';
import { PRESETS, type PresetName } from '../../src/schedule/presets.ts';
import { runOnce } from '../../src/runner/run-once.ts';
import { BROKEN_CLIENTS, referenceWithFaults } from '../support/broken-clients.ts';

/**
 * Every check in the catalogue is non-vacuous: the reference client passes
 * it under every preset, and the broken client aimed at it fails it — and
 * fails nothing it should not.
 */
async function verdicts(faults: FaultName[], preset: PresetName, maxRequests?: number): Promise<Record<string, CheckStatus>> {
  const { results } = await runOnce({
    target: referenceWithFaults(faults),
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

describe('each broken client', () => {
  it('covers every check in the catalogue and every fault', () => {
    const targeted = new Set(Object.values(BROKEN_CLIENTS).flatMap((b) => Object.keys(b.expect)));
    expect([...targeted].sort()).toEqual([...CHECK_IDS].sort());
    expect(Object.keys(BROKEN_CLIENTS).sort()).toEqual([...FAULT_NAMES].sort());
  });

  it.each(Object.entries(BROKEN_CLIENTS) as [FaultName, (typeof BROKEN_CLIENTS)[FaultName]][])('%s fails exactly its check(s)', async (fault, spec) => {
    const v = await verdicts([fault], spec.preset, spec.maxRequests);
    expect(Object.fromEntries(flagged(v))).toEqual(spec.expect);
    // The same schedule does not trouble the reference client: the fault alone is to blame.
    expect(flagged(await verdicts([], spec.preset, spec.maxRequests))).toEqual([]);
  });
});
