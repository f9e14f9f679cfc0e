import { DEFAULT_JUDGE_OPTIONS, type CheckResult, type JudgeOptions } from '../checks/types.ts';
import { judge } from '../checks/judge.ts';
import { CHECK_IDS, type CheckId } from '../checks/registry.ts';
import { onCleanup } from '../driver/cleanup.ts';
import { runClient } from '../driver/run-client.ts';
import { DriverError, type ClientTarget } from '../driver/types.ts';
import type { Schedule } from '../schedule/types.ts';
import type { ClientOutcome, Trace } from '../trace/types.ts';
import { startWorld } from '../world/world.ts';
import { timed, type PhaseTimes } from './phase-times.ts';

/** Scenario name handed to clients (MCP conformance client contract). */
export const SCENARIO = 'auth/dpop-fuzz';

export interface RunOnceOptions {
  readonly target: ClientTarget;
  readonly schedule: Schedule;
  readonly timeoutMs: number;
  readonly judge?: Partial<JudgeOptions>;
  readonly checks?: readonly CheckId[];
  readonly maxRequests?: number;
  /** Abort from outside (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** See `WorldOptions.releaseGate`. */
  readonly releaseGate?: (label: string) => Promise<void>;
  /** Adds this run's phase times (benchmarking). */
  readonly phaseTimes?: PhaseTimes;
}

export interface RunOnceResult {
  readonly results: CheckResult[];
  readonly trace: Trace;
  readonly outcome: ClientOutcome;
}

/**
 * One run: start the servers configured by the schedule, run the client
 * against them, stop everything, then judge the recorded trace.
 */
export async function runOnce(options: RunOnceOptions): Promise<RunOnceResult> {
  const abort = new AbortController();
  const forward = () => abort.abort();
  options.signal?.addEventListener('abort', forward, { once: true });
  const phases = options.phaseTimes;
  const world = await timed(phases?.worldStart, () => startWorld(options.schedule, {
    iatWindowSeconds: options.judge?.iatWindowSeconds ?? DEFAULT_JUDGE_OPTIONS.iatWindowSeconds,
    ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
    ...(options.releaseGate ? { releaseGate: options.releaseGate } : {}),
    // A runaway client is stopped as soon as the request cap is reached.
    onCap: () => abort.abort(),
  }));
  const unregister = onCleanup(() => world.close());
  let outcome: ClientOutcome;
  try {
    outcome = await timed(phases?.client, () => runClient({
      target: options.target,
      serverUrl: world.mcpUrl,
      scenario: SCENARIO,
      context: { name: SCENARIO, steps: options.schedule.plan },
      timeoutMs: options.timeoutMs,
      signal: abort.signal,
      fetch: world.fetch,
    }));
  } finally {
    options.signal?.removeEventListener('abort', forward);
    await timed(phases?.worldClose, () => world.close());
    unregister();
  }
  const trace = world.trace();
  // A client that never reached the servers cannot be judged: wrong command, crash at start-up.
  if (trace.entries.length === 0 && trace.refused.length === 0 && !options.signal?.aborted) {
    const tail = outcome.stderr.trim().split('\n').slice(-5).join('\n');
    throw new DriverError(
      `the client made no HTTP request and ${outcome.timedOut ? 'timed out' : `exited with code ${outcome.exitCode ?? outcome.signal}`}; is the command right?${tail ? `\n${tail}` : ''}`,
    );
  }
  const judgeOptions: JudgeOptions = { ...DEFAULT_JUDGE_OPTIONS, ...options.judge };
  const results = await timed(phases?.judge, () => judge({ trace, schedule: options.schedule, outcome, options: judgeOptions }, options.checks ?? CHECK_IDS));
  if (phases) phases.runs++;
  return { results, trace, outcome };
}
