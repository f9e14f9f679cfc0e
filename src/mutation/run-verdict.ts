/**
 * What one oracle run says about the package: the set of things that went
 * wrong (FAILUREs of checks, and how the client ended), each with a message
 * for the report. A mutant is killed by a run that shows something the
 * unmutated package never showed under the same schedule.
 */
import { DriverError } from '../driver/types.ts';
import { failuresAmong, type FailOn } from '../runner/confirm.ts';
import type { RunOnceResult } from '../runner/run-once.ts';

/** Client outcomes that count like failed checks (the issue's "crashed or timed out"). */
export const CLIENT_CRASHED = 'client-crashed';
export const CLIENT_TIMED_OUT = 'client-timed-out';
export const CLIENT_NO_REQUEST = 'client-made-no-request';
/** An exception nobody awaited (a timer, a stream callback) during the run. */
export const CLIENT_STRAY_ERROR = 'client-stray-error';

/** Failure key → one-line message. */
export type RunVerdict = ReadonlyMap<string, string>;

export function verdictOfRun(result: RunOnceResult, failOn: FailOn): RunVerdict {
  const verdict = new Map<string, string>();
  for (const r of failuresAmong(result, null, failOn)) verdict.set(r.id, `${r.status}: ${r.message}`);
  const { outcome } = result;
  const lastLine = outcome.stderr.trim().split('\n').pop() ?? '';
  if (outcome.timedOut) verdict.set(CLIENT_TIMED_OUT, 'the client did not finish within the run timeout');
  else if (outcome.exitCode !== 0) verdict.set(CLIENT_CRASHED, `the client ended with ${outcome.exitCode === null ? `signal ${outcome.signal ?? 'unknown'}` : `exit code ${outcome.exitCode}`}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}`);
  return verdict;
}

/** A run the driver could not judge: the client never reached the servers. Other errors propagate. */
export function verdictOfDriverError(error: unknown): RunVerdict {
  if (error instanceof DriverError) return new Map([[CLIENT_NO_REQUEST, error.message.slice(0, 300)]]);
  throw error;
}

const OUTCOME_KEYS = new Set([CLIENT_CRASHED, CLIENT_TIMED_OUT, CLIENT_NO_REQUEST, CLIENT_STRAY_ERROR]);

/**
 * The keys of `verdict` that `baseline` does not contain: failed checks
 * first (they name the cause), then how the client ended (the symptom).
 */
export function newFailures(verdict: RunVerdict, baseline: ReadonlySet<string>): string[] {
  const fresh = [...verdict.keys()].filter((key) => !baseline.has(key));
  const rank = (key: string) => (OUTCOME_KEYS.has(key) ? 1 : 0);
  return fresh.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The failure message Stryker records for a kill: the new keys, then each message. */
export function killMessage(verdict: RunVerdict, keys: readonly string[]): string {
  return `${keys.join(', ')} — ${keys.map((k) => `${k}: ${verdict.get(k) ?? ''}`).join(' | ')}`;
}
