import { runOnce, type RunOnceResult } from '../runner/run-once.ts';
import type { Schedule } from '../schedule/types.ts';
import { parseSchedule } from '../schedule/validate.ts';
import { assertWholeNumber } from '../whole-number.ts';
import { clientTarget, type DpopClient } from './client.ts';
import { checksOf, judgeOptionsOf, type JudgeSettings } from './judge-settings.ts';

/** Default time a client run may take before it is stopped. */
export const DEFAULT_TIMEOUT_MS = 20_000;

export interface RunScheduleOptions extends JudgeSettings {
  /** Stop the client after this long (default 20 s); the run is judged as timed out. */
  readonly timeoutMs?: number;
  /** Requests after which the servers stop serving a runaway client (default 500). */
  readonly maxRequests?: number;
  /** Abort = stop the client now. */
  readonly signal?: AbortSignal;
}

/** What one run gave: the check results, the recorded exchange and how the client ended. */
export type RunResult = RunOnceResult;

/**
 * Runs the client once against the test authorization server and MCP server
 * configured by `schedule` (validated first: plain JSON from anywhere is
 * fine), then judges the recorded trace. Throws `ScheduleError` for an
 * invalid schedule and `DriverError` when the client cannot be run or never
 * reaches the servers.
 */
export async function runSchedule(client: DpopClient, schedule: Schedule, options: RunScheduleOptions = {}): Promise<RunResult> {
  assertWholeNumber('timeoutMs', options.timeoutMs, 1);
  assertWholeNumber('maxRequests', options.maxRequests, 1);
  return runOnce({
    target: clientTarget(client),
    schedule: parseSchedule(schedule),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    checks: checksOf(options),
    judge: judgeOptionsOf(options),
    ...(options.maxRequests !== undefined ? { maxRequests: options.maxRequests } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
