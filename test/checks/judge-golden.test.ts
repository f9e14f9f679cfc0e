/**
 * Golden traces: what the judge says, word for word, about recorded runs of
 * the reference client (every preset) and of every broken client (its
 * preset). A check's message and evidence are what a maintainer reads in a
 * report, so a change to either must be deliberate. The traces are recorded
 * once and stored (gzipped JSON), so this test is deterministic: the judge is
 * a pure function of them.
 *
 *   GOLDEN=record npx vitest run test/checks/judge-golden.test.ts   # new runs, new traces and verdicts
 *   GOLDEN=judge  npx vitest run test/checks/judge-golden.test.ts   # same traces, verdicts judged again
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { DEFAULT_JUDGE_OPTIONS } from '../../src/checks/types.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import type { ClientOutcome, Trace } from '../../src/trace/types.ts';
import { runOnce } from '../../src/runner/run-once.ts';
import { PRESETS } from '../../src/schedule/presets.ts';
import type { PresetName } from '../../src/schedule/presets.ts';
import type { Schedule } from '../../src/schedule/types.ts';
import { BROKEN_CLIENTS, referenceWithFaults } from '../support/broken-clients.ts';

const DIR = path.join(import.meta.dirname, 'golden');
const EXPECTED = path.join(DIR, 'expected.json');
const MODE = process.env['GOLDEN'] ?? 'check';

/** One recorded run: enough to judge it again. */
interface GoldenTrace {
  readonly schedule: Schedule;
  readonly trace: Trace;
  readonly outcome: ClientOutcome;
}

interface GoldenCase {
  readonly name: string;
  readonly faults: readonly FaultName[];
  readonly preset: PresetName;
  readonly maxRequests?: number;
}

const CASES: readonly GoldenCase[] = [
  ...(Object.keys(PRESETS) as PresetName[]).map((preset) => ({ name: `reference--${preset}`, faults: [], preset })),
  ...(Object.entries(BROKEN_CLIENTS) as [FaultName, (typeof BROKEN_CLIENTS)[FaultName]][]).map(([fault, spec]) => ({
    name: `${fault}--${spec.preset}`,
    faults: [fault],
    preset: spec.preset,
    ...(spec.maxRequests !== undefined ? { maxRequests: spec.maxRequests } : {}),
  })),
];

const traceFile = (name: string): string => path.join(DIR, `${name}.json.gz`);
const readTrace = (name: string): GoldenTrace => JSON.parse(gunzipSync(readFileSync(traceFile(name))).toString('utf8')) as GoldenTrace;
const judged = (g: GoldenTrace): CheckResult[] => judge({ trace: g.trace, schedule: g.schedule, outcome: g.outcome, options: DEFAULT_JUDGE_OPTIONS });

async function record(c: GoldenCase): Promise<GoldenTrace> {
  const schedule = PRESETS[c.preset].schedule;
  const run = await runOnce({ target: referenceWithFaults(c.faults), schedule, timeoutMs: 20_000, ...(c.maxRequests !== undefined ? { maxRequests: c.maxRequests } : {}) });
  // The outcome is kept whole: invalid-proof-no-blind-retry reads whether the client's output names the error.
  return { schedule, trace: run.trace, outcome: run.outcome };
}

if (MODE === 'record' || MODE === 'judge') {
  it(`writes the golden files (${MODE})`, { timeout: 10 * 60_000 }, async () => {
    if (MODE === 'record') {
      for (const file of existsSync(DIR) ? readdirSync(DIR) : []) rmSync(path.join(DIR, file));
      for (const c of CASES) writeFileSync(traceFile(c.name), gzipSync(JSON.stringify(await record(c)), { level: 9 }));
    }
    const expected = Object.fromEntries(CASES.map((c) => [c.name, judged(readTrace(c.name))]));
    writeFileSync(EXPECTED, `${JSON.stringify(expected, null, 1)}\n`);
    expect(Object.keys(expected)).toHaveLength(CASES.length);
  });
} else {
  describe('the judge on golden traces', () => {
    const expected = JSON.parse(readFileSync(EXPECTED, 'utf8')) as Record<string, CheckResult[]>;

    it('has a trace and verdicts for every case, and nothing else', () => {
      expect(Object.keys(expected).sort()).toEqual(CASES.map((c) => c.name).sort());
      expect(readdirSync(DIR).filter((f) => f.endsWith('.json.gz')).sort()).toEqual(CASES.map((c) => `${c.name}.json.gz`).sort());
    });

    it.each(CASES.map((c) => c.name))('%s: every check says the same, word for word, with the same evidence', (name) => {
      expect(judged(readTrace(name))).toEqual(expected[name]);
    });

    it('the recorded verdicts agree with the non-vacuity proof (reference clean, each broken client fails its checks)', () => {
      for (const c of CASES) {
        const flagged = Object.fromEntries((expected[c.name] ?? []).filter((r) => r.status === 'FAILURE' || r.status === 'WARNING').map((r) => [r.id, r.status]));
        const fault = c.faults[0];
        expect(flagged, c.name).toEqual(fault === undefined ? {} : BROKEN_CLIENTS[fault].expect);
      }
    });
  });
}
