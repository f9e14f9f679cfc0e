import { judge as judgeInput } from '../checks/judge.ts';
import type { CheckId } from '../checks/registry.ts';
import type { CheckResult } from '../checks/types.ts';
import type { Schedule } from '../schedule/types.ts';
import { parseSchedule } from '../schedule/validate.ts';
import type { ClientOutcome, Trace } from '../trace/types.ts';
import { checksOf, judgeOptionsOf, type JudgeSettings } from './judge-settings.ts';

/** Checks whose verdict depends on how the client ended, not only on what it sent. */
const OUTCOME_CHECKS: ReadonlySet<CheckId> = new Set<CheckId>(['sep-1932-client-completes', 'sep-1932-client-invalid-proof-no-blind-retry']);

/**
 * Two opposite stand-ins for a trace judged without its outcome: a client
 * that finished cleanly and one that failed loudly. A verdict the same under
 * both does not depend on the ending and stands; any other is SKIPPED.
 */
const CLEAN_EXIT: ClientOutcome = { exitCode: 0, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 };
const LOUD_FAILURE: ClientOutcome = { ...CLEAN_EXIT, exitCode: 1, stderr: 'error: invalid_dpop_proof' };

export interface JudgeTraceOptions extends JudgeSettings {
  /**
   * How the client ended. Without it, the checks that judge the ending
   * (`completes`, `invalid-proof-no-blind-retry`) are SKIPPED rather than
   * guessed.
   */
  readonly outcome?: ClientOutcome;
}

/**
 * Judges a trace recorded elsewhere (a `trace.json` written by
 * `dpop-fuzz check`, or your own harness's recording in the same shape)
 * against the schedule the servers followed. Pure: no network, no clock.
 */
export function judge(trace: Trace, schedule: Schedule, options: JudgeTraceOptions = {}): CheckResult[] {
  assertTrace(trace);
  const valid = parseSchedule(schedule);
  const judgeOptions = judgeOptionsOf(options);
  const checks = checksOf(options);
  const judgeWith = (outcome: ClientOutcome, only: readonly CheckId[]) => judgeInput({ trace, schedule: valid, outcome, options: judgeOptions }, only);
  if (options.outcome !== undefined) return judgeWith(options.outcome, checks);
  const clean = judgeWith(CLEAN_EXIT, checks);
  const loud = judgeWith(LOUD_FAILURE, checks.filter((id) => OUTCOME_CHECKS.has(id)));
  return clean.map((r) => {
    const other = loud.find((l) => l.id === r.id);
    if (other === undefined || (other.status === r.status && other.message === r.message)) return r;
    return { id: r.id, status: 'SKIPPED', message: 'Not judged: the verdict depends on how the client ended; pass options.outcome.', evidence: [] };
  });
}

/** The fields every check reads: a clear TypeError instead of a crash deep inside a check. */
function assertTrace(trace: unknown): asserts trace is Trace {
  const t = trace as Partial<Record<keyof Trace, unknown>> | null;
  const missing = (['entries', 'tokens', 'nonces', 'refused'] as const).filter((k) => !Array.isArray(t?.[k]));
  if (typeof trace !== 'object' || trace === null || missing.length > 0) {
    throw new TypeError(`not a dpop-fuzz trace: ${trace === null || typeof trace !== 'object' ? 'not an object' : `missing array(s) ${missing.join(', ')}`}`);
  }
}
