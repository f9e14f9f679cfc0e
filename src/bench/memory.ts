import type { ClientTarget } from '../driver/types.ts';
import { fuzz } from '../runner/fuzz.ts';
import { cpuSince, cpuSnapshot } from './cpu.ts';
import type { BenchResult } from './result.ts';
import { BENCH_TIMEOUT_MS, round } from './throughput.ts';

export interface MemoryScenario {
  readonly name: string;
  readonly target: ClientTarget;
  readonly runs: number;
  readonly workers: number;
  readonly seed: number;
  /** Sample memory every this many runs. */
  readonly every: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024);

/** RSS and heap over one long session: a leak shows as a heap that keeps growing with the runs. */
export async function measureMemory(scenario: MemoryScenario): Promise<BenchResult> {
  const rss: number[] = [];
  const heap: number[] = [];
  const sample = () => {
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  };
  sample();
  let next = scenario.every;
  const cpu = cpuSnapshot();
  const t0 = performance.now();
  const report = await fuzz({
    target: scenario.target,
    clientName: scenario.name,
    runs: scenario.runs,
    seed: scenario.seed,
    workers: scenario.workers,
    timeoutMs: BENCH_TIMEOUT_MS,
    examples: [],
    maxShrinkRuns: 0,
    confirmations: 1,
    onProgress: ({ runs }) => {
      if (runs < next) return;
      next += scenario.every;
      sample();
    },
  });
  sample();
  const seconds = (performance.now() - t0) / 1000;
  const runs = report.runs + report.shrinkRuns;
  return {
    name: scenario.name,
    mode: 'in-process',
    workers: scenario.workers,
    runs,
    seconds: round(seconds, 2),
    runsPerSecond: round(runs / seconds),
    cpuMsPerRun: round(cpuSince(cpu).selfMs / Math.max(1, runs)),
    clientCpuMsPerRun: null,
    memory: {
      samples: rss.length,
      rssStartMb: mb(rss[0]!),
      rssEndMb: mb(rss.at(-1)!),
      rssMaxMb: mb(Math.max(...rss)),
      heapStartMb: mb(heap[0]!),
      heapEndMb: mb(heap.at(-1)!),
      heapMaxMb: mb(Math.max(...heap)),
    },
  };
}
