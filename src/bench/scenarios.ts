import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { FAULT_NAMES } from '../clients/faults.ts';
import { referenceTarget } from '../clients/target.ts';
import { DEFAULT_MODULE_WORKERS } from '../runner/fuzz-options.ts';
import { PRESETS } from '../schedule/presets.ts';
import { measureCatch, type CatchScenario } from './catch-time.ts';
import { measureMemory, type MemoryScenario } from './memory.ts';
import type { BenchResult } from './result.ts';
import { measureThroughput, type ThroughputScenario } from './throughput.ts';

/** One scenario of `npm run bench`, not yet run. */
export type BenchScenario =
  | { readonly kind: 'throughput'; readonly name: string; readonly spec: ThroughputScenario }
  | { readonly kind: 'catch'; readonly name: string; readonly spec: CatchScenario }
  | { readonly kind: 'memory'; readonly name: string; readonly spec: MemoryScenario };

export interface BenchPlan {
  /** The repository root (for bin/ and examples/). */
  readonly root: string;
  /** Multiplies every scenario's run count (at least 1 run each); 1 is the nightly size. */
  readonly scale: number;
  /** Seeds per broken client (the catch time is their median). */
  readonly catchSeeds: number;
  readonly cores: number;
  readonly seed: number;
}

/** The in-process default of `dpop-fuzz run --module`. */
const IN_PROCESS_WORKERS = DEFAULT_MODULE_WORKERS;

/**
 * Every scenario, in the order they run: the reference client in-process on a
 * fixed preset and on generated schedules (the default workers, and one at a
 * time for the phase breakdown), as a subprocess with 1 and `cores` workers,
 * each published-library target, the time to catch each broken client, and
 * memory over a long session.
 */
export function benchScenarios(plan: BenchPlan): BenchScenario[] {
  const runs = (n: number) => Math.max(1, Math.round(n * plan.scale));
  const reference = referenceTarget();
  const referenceModule = { kind: 'module' as const, path: path.join(plan.root, 'src', 'clients', 'reference.ts') };
  const preset = PRESETS['dpop-nonce'].schedule;
  const subprocess = { kind: 'command' as const, command: `"${process.execPath}" "${path.join(plan.root, 'bin', 'reference-client.js')}"` };
  const threads = Math.min(plan.cores, IN_PROCESS_WORKERS);
  const throughput = (name: string, spec: Omit<ThroughputScenario, 'name' | 'seed'>): BenchScenario => ({ kind: 'throughput', name, spec: { ...spec, name, seed: plan.seed } });
  const out: BenchScenario[] = [
    throughput('reference, preset dpop-nonce', { target: reference, workers: IN_PROCESS_WORKERS, runs: runs(1500), schedule: preset }),
    throughput('reference, preset dpop-nonce, 1 worker', { target: reference, workers: 1, runs: runs(100), schedule: preset }),
    throughput('reference, generated schedules', { target: reference, workers: IN_PROCESS_WORKERS, runs: runs(1500) }),
    throughput('reference, generated schedules, 1 worker', { target: reference, workers: 1, runs: runs(100) }),
    // The searches dealt out over one worker thread per core (`--threads`), at most one per search.
    throughput(`reference module, preset dpop-nonce, ${threads} threads`, { target: referenceModule, workers: IN_PROCESS_WORKERS, threads, runs: runs(600), schedule: preset }),
    throughput(`reference module, generated schedules, ${threads} threads`, { target: referenceModule, workers: IN_PROCESS_WORKERS, threads, runs: runs(600) }),
    throughput('reference subprocess, generated schedules, 1 worker', { target: subprocess, workers: 1, runs: runs(40) }),
    throughput(`reference subprocess, generated schedules, ${plan.cores} workers`, { target: subprocess, workers: plan.cores, runs: runs(40 * plan.cores) }),
  ];
  const examples = path.join(plan.root, 'examples');
  const targets = existsSync(examples) ? readdirSync(examples).filter((name) => existsSync(path.join(examples, name, 'expected-failures.yml'))).sort() : [];
  for (const name of targets) {
    out.push(throughput(`target ${name}, generated schedules`, { target: { kind: 'module', path: path.join(examples, name, 'client.ts') }, workers: IN_PROCESS_WORKERS, runs: runs(100) }));
  }
  const seeds = Array.from({ length: plan.catchSeeds }, (_, i) => plan.seed + i);
  for (const fault of FAULT_NAMES) {
    out.push({ kind: 'catch', name: `catch ${fault}`, spec: { fault, seeds, workers: IN_PROCESS_WORKERS, budgetRuns: 3000, budgetMs: 60_000 } });
  }
  const memoryRuns = runs(10_000);
  const memoryName = `reference, generated schedules, ${memoryRuns} runs (memory)`;
  out.push({
    kind: 'memory',
    name: memoryName,
    spec: { name: memoryName, target: reference, runs: memoryRuns, workers: IN_PROCESS_WORKERS, seed: plan.seed, every: Math.max(1, Math.round(memoryRuns / 20)) },
  });
  return out;
}

export async function runScenario(scenario: BenchScenario): Promise<BenchResult> {
  switch (scenario.kind) {
    case 'throughput':
      return measureThroughput(scenario.spec);
    case 'catch':
      return measureCatch(scenario.spec);
    case 'memory':
      return measureMemory(scenario.spec);
  }
}
