import path from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { formatPolicy, profileFor } from '../src/clients/policy.ts';
import { policyArbitrary } from '../src/clients/policy-arbitrary.ts';
import { TokenCache } from '../src/clients/token-cache.ts';
import { loadCorpus } from '../src/corpus/store.ts';
import type { FuzzReport } from '../src/report/types.ts';
import { writeReport } from '../src/report/write.ts';
import { fuzz } from '../src/runner/fuzz.ts';
import type { ClientTarget } from '../src/driver/types.ts';
import { staleCredentials } from './support/stale-cache.ts';
import { FUZZING, fuzzRuns, fuzzSeed, referenceTarget } from './support/targets.ts';

/** Generated runs in all; `npm test` runs a fixed slice, `npm run fuzz` thousands. */
const runs = fuzzRuns(96, 6000);
/** Runs per drawn policy: enough schedules to meet its choices, enough policies to cover their combinations. */
const runsPerPolicy = FUZZING ? 60 : 12;
const seed = fuzzSeed(9449);
const policies = fc.sample(policyArbitrary(), { seed, numRuns: Math.max(1, Math.ceil(runs / runsPerPolicy)) });
/** The schedules every conformant client must survive, tried first under every policy. */
const handPicked = (await loadCorpus('corpus/hand-picked')).map((c) => c.entry.schedule);

/**
 * Zero false positives over the whole space of conformant clients: the
 * reference client with randomly drawn legal choices (nonce slots per origin,
 * Bearer tokens used or refused, early or lazy renewal, re-authorization,
 * sequential steps, refused redirects, ES256 only, a persistent token cache
 * with a stale entry, dpop_jkt, strict RFC 9728 §3.3…) passes every MUST
 * check under generated schedules, judged with the profile its choices are
 * legal under.
 */
it(`the reference client passes every MUST check whatever legal choices it makes (${policies.length} policies × (${handPicked.length} hand-picked + ${runsPerPolicy} generated schedules), seed ${seed})`, { timeout: 24 * 60 * 60_000 }, async () => {
  const found: string[] = [];
  let done = 0;
  for (const [i, policy] of policies.entries()) {
    // A long-lived client's cache, which an earlier world on the same port filled: the first
    // run starts with a token its servers never issued.
    const cache = new TokenCache();
    const target = referenceTarget([], policy, cache);
    const seeded: ClientTarget =
      policy.tokenCache === 'persistent' && target.kind === 'function'
        ? {
            ...target,
            run: async (url, options) => {
              cache.set(url, await staleCredentials());
              return target.run(url, options);
            },
          }
        : target;
    const report: FuzzReport = await fuzz({
      target: seeded,
      clientName: target.kind === 'function' ? target.name : 'reference',
      runs: runsPerPolicy,
      seed: seed + i,
      examples: handPicked,
      workers: 2,
      timeoutMs: 20_000,
      judge: { profile: profileFor(policy) },
      ...(FUZZING ? { onReport: async (r: FuzzReport) => void (await writeReport(path.join('reports', 'reference-policies', String(i)), r)) } : {}),
    });
    done += report.runs;
    for (const f of [...report.failures, ...report.flaky]) {
      found.push(`policy ${formatPolicy(policy) || '(default)'} — ${f.verdict} ${f.checkIds.join(',')}: ${f.results.map((r) => r.message).join(' | ')}\n${JSON.stringify(f.schedule)}`);
    }
  }
  expect(found).toEqual([]);
  expect(done).toBe(policies.length * (runsPerPolicy + handPicked.length));
});
