import type { ClientTarget } from '../driver/types.ts';
import type { BenchResult } from './result.ts';
import { benchResult, round, timedFuzz } from './timed-fuzz.ts';

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
  const { report, seconds, cpu } = await timedFuzz({
    target: scenario.target,
    clientName: scenario.name,
    runs: scenario.runs,
    seed: scenario.seed,
    workers: scenario.workers,
    onProgress: ({ runs }) => {
      if (runs < next) return;
      next += scenario.every;
      sample();
    },
  });
  sample();
  return {
    ...benchResult(scenario.name, 'in-process', scenario.workers, report.runs + report.shrinkRuns, seconds, cpu),
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
