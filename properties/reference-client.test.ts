import { availableParallelism } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { ClientTarget } from '../src/driver/types.ts';
import { writeReport } from '../src/report/write.ts';
import { fuzz } from '../src/runner/fuzz.ts';
import { FUZZING, fuzzRuns, fuzzSeed, referenceTarget } from './support/targets.ts';

const runs = fuzzRuns(60, 2000);
const seed = fuzzSeed(1932);
/** `DPOP_FUZZ_CLIENT="<command>" npm run fuzz` fuzzes that client instead (a subprocess per run). */
const command = process.env.DPOP_FUZZ_CLIENT?.trim() || null;

/**
 * Zero false positives: the reference client satisfies every MUST check
 * under every generated schedule. `npm test` runs a fixed sample; `npm run
 * fuzz` runs thousands with a random seed and keeps the report.
 */
it(`${command ?? 'the reference client'} passes every MUST check (${runs} schedules, seed ${seed})`, { timeout: 24 * 60 * 60_000 }, async () => {
  const target: ClientTarget = command === null ? referenceTarget() : { kind: 'command', command };
  const report = await fuzz({
    target,
    clientName: command ?? (target.kind === 'function' ? target.name : 'reference'),
    runs,
    seed,
    workers: command === null ? 2 : availableParallelism(),
    timeoutMs: 20_000,
    ...(FUZZING ? { onReport: async (r) => void (await writeReport(path.join('reports', command === null ? 'reference-client' : 'client'), r)) } : {}),
  });
  const found = [...report.failures, ...report.flaky].map((f) => `${f.verdict} ${f.checkIds.join(',')}: ${f.results.map((r) => r.message).join(' | ')}\n${JSON.stringify(f.schedule)}`);
  expect(found).toEqual([]);
  expect(report.runs).toBe(runs);
});
