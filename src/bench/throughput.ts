import fc from 'fast-check';
import type { ClientTarget } from '../driver/types.ts';
import { emptyPhaseTimes, type PhaseTimes } from '../runner/phase-times.ts';
import type { Schedule } from '../schedule/types.ts';
import type { BenchResult, PhaseBreakdown } from './result.ts';
import { benchResult, round, timedFuzz } from './timed-fuzz.ts';

export interface ThroughputScenario {
  readonly name: string;
  readonly target: ClientTarget;
  readonly workers: number;
  /** Generated (or fixed) schedules to run. */
  readonly runs: number;
  readonly seed: number;
  /** Run this schedule every time instead of generated ones. */
  readonly schedule?: Schedule;
  /**
   * Worker threads (`fuzzOnThreads`; the target must be a module). Runs on
   * threads are counted from the report: the phase breakdown needs the
   * searches on this thread.
   */
  readonly threads?: number;
}

/** Per-run averages of the phase times; CPU per phase only when one search ran (no overlap). */
function breakdown(phases: PhaseTimes, seconds: number, workers: number): PhaseBreakdown {
  const per = (ms: number) => round(ms / Math.max(1, phases.runs));
  const serial = workers === 1;
  const inPhases = phases.worldStart.wallMs + phases.client.wallMs + phases.worldClose.wallMs + phases.judge.wallMs;
  return {
    worldStartMs: per(phases.worldStart.wallMs),
    clientMs: per(phases.client.wallMs),
    worldCloseMs: per(phases.worldClose.wallMs),
    judgeMs: per(phases.judge.wallMs),
    otherMs: serial ? per(Math.max(0, seconds * 1000 - inPhases)) : null,
    harnessCpuMs: serial ? per(phases.worldStart.cpuMs + phases.worldClose.cpuMs + phases.judge.cpuMs) : null,
    clientPhaseCpuMs: serial ? per(phases.client.cpuMs) : null,
  };
}

/** Runs a scenario through the fuzzer and measures runs per second, CPU per run and where a run's time goes. */
export async function measureThroughput(scenario: ThroughputScenario): Promise<BenchResult> {
  const mode = scenario.target.kind === 'command' ? 'subprocess' : 'in-process';
  const threads = scenario.threads ?? 1;
  if (threads > 1) {
    const { report, seconds, cpu } = await timedFuzz(
      { target: scenario.target, clientName: scenario.name, runs: scenario.runs, seed: scenario.seed, workers: scenario.workers },
      { threads, ...(scenario.schedule ? { schedule: scenario.schedule } : {}) },
    );
    return benchResult(scenario.name, mode, scenario.workers, report.runs + report.shrinkRuns, seconds, cpu, threads);
  }
  const phases = emptyPhaseTimes();
  const { seconds, cpu } = await timedFuzz({
    target: scenario.target,
    clientName: scenario.name,
    runs: scenario.runs,
    seed: scenario.seed,
    workers: scenario.workers,
    phaseTimes: phases,
    ...(scenario.schedule ? { arbitrary: fc.constant(scenario.schedule) } : {}),
  });
  return { ...benchResult(scenario.name, mode, scenario.workers, phases.runs, seconds, cpu), phases: breakdown(phases, seconds, scenario.workers) };
}
