import type { FailureReport } from './types.ts';

/** A counterexample's level: FAILURE when a MUST check failed, else WARNING (only under `--fail-on warning`). */
export function failureLevel(failure: Pick<FailureReport, 'results'>): 'FAILURE' | 'WARNING' {
  return failure.results.some((r) => r.status === 'FAILURE') ? 'FAILURE' : 'WARNING';
}
