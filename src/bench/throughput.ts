import fc from 'fast-check';
import type { ClientTarget } from '../driver/types.ts';
import { fuzz } from '../runner/fuzz.ts';
import { emptyPhaseTimes, type PhaseTimes } from '../runner/phase-times.ts';
import type { Schedule } from '../schedule/types.ts';
import { cpuSince, cpuSnapshot } from './cpu.ts';
import type { BenchResult, PhaseBreakdown } from './result.ts';

/** Per client run, generous enough for the slowest library target on a busy machine. */
export const BENCH_TIMEOUT_MS = 20_000;

export interface ThroughputScenario {
  readonly name: string;
  readonly target: ClientTarget;
  readonly workers: number;
  /** Generated (or fixed) schedules to run. */
  readonly runs: number;
  readonly seed: number;
  /** Run this schedule every time instead of generated ones. */
  readonly schedule?: Schedule;
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

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * Runs a scenario through the fuzzer as `dpop-fuzz run` would (no corpus) and
 * measures runs per second, CPU per run and where a run's time goes. A
 * counterexample is neither shrunk nor replayed more than once: this measures
 * exploration, not the shrinker.
 */
export async function measureThroughput(scenario: ThroughputScenario): Promise<BenchResult> {
  const phases = emptyPhaseTimes();
  const cpu = cpuSnapshot();
  const t0 = performance.now();
  await fuzz({
    target: scenario.target,
    clientName: scenario.name,
    runs: scenario.runs,
    seed: scenario.seed,
    workers: scenario.workers,
    timeoutMs: BENCH_TIMEOUT_MS,
    examples: [],
    maxShrinkRuns: 0,
    confirmations: 1,
    phaseTimes: phases,
    ...(scenario.schedule ? { arbitrary: fc.constant(scenario.schedule) } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  const used = cpuSince(cpu);
  const runs = phases.runs;
  const subprocess = scenario.target.kind === 'command';
  return {
    name: scenario.name,
    mode: subprocess ? 'subprocess' : 'in-process',
    workers: scenario.workers,
    runs,
    seconds: round(seconds, 2),
    runsPerSecond: round(runs / seconds),
    cpuMsPerRun: round(used.selfMs / Math.max(1, runs)),
    clientCpuMsPerRun: subprocess && used.childrenMs !== null ? round(used.childrenMs / Math.max(1, runs)) : null,
    phases: breakdown(phases, seconds, scenario.workers),
  };
}
