import { describe, expect, it } from 'vitest';
import { isFaultName, type FaultName } from '../../src/clients/faults.ts';
import { referenceTarget } from '../../src/clients/target.ts';
import { loadCorpus } from '../../src/corpus/store.ts';
import { runOnce } from '../../src/runner/run-once.ts';
import type { Schedule } from '../../src/schedule/types.ts';

const corpus = await loadCorpus('corpus');

async function flagged(faults: FaultName[], schedule: Schedule): Promise<string[]> {
  const { results } = await runOnce({ target: referenceTarget(faults), schedule, timeoutMs: 20_000, maxRequests: 120 });
  return results.filter((r) => r.status !== 'SUCCESS' && r.status !== 'SKIPPED').map((r) => `${r.status} ${r.id}`);
}

/** `node bin/broken-client.js <fault>` → the fault, for entries recorded against a bundled broken client. */
function bundledFault(client: string): FaultName | null {
  const match = /^node bin\/broken-client\.js ([\w-]+)$/.exec(client);
  return match && isFaultName(match[1]!) ? match[1] : null;
}

/**
 * The whole corpus replays on every `npm test`: the reference client passes
 * each entry, and each bundled broken client still fails the entries found
 * against it.
 */
describe('corpus', () => {
  it('holds hand-picked schedules and counterexamples of the bundled broken clients', () => {
    expect(corpus.filter((c) => c.entry.expect === 'pass').length).toBeGreaterThanOrEqual(10);
    expect(corpus.filter((c) => bundledFault(c.entry.client) !== null).length).toBeGreaterThanOrEqual(10);
  });

  it.each(corpus.map((c) => [c.file, c] as const))('reference client passes %s', { timeout: 60_000 }, async (_file, { entry }) => {
    expect(await flagged([], entry.schedule)).toEqual([]);
  });

  const recorded = corpus.flatMap((c) => {
    const fault = bundledFault(c.entry.client);
    return fault === null || c.entry.expect !== 'fail' ? [] : [[c.file, fault, c.entry] as const];
  });
  it.each(recorded)('%s still catches %s', { timeout: 60_000 }, async (_file, fault, entry) => {
    const found = await flagged([fault], entry.schedule);
    for (const id of entry.checks) expect(found.some((f) => f.endsWith(` ${id}`)), `${id} in ${found.join(', ')}`).toBe(true);
  });
});
