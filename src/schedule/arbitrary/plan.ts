import fc from 'fast-check';
import type { PlanMethod } from '../types.ts';

/** Methods a plan may ask for; `tools/list` first so plans shrink to it. */
const METHODS: readonly PlanMethod[] = ['tools/list', 'tools/call', 'ping', 'resources/list', 'prompts/list'];

/** Constraints on the generated plan. */
export interface PlanConstraints {
  /** Most steps (default 5). */
  readonly maxSteps?: number;
  /** Most concurrent calls in one step (default 4). */
  readonly maxConcurrent?: number;
}

/**
 * What the client is asked to do (`MCP_CONFORMANCE_CONTEXT.steps`): steps in
 * order, the calls inside a step concurrently — where proofs, nonces and
 * retries of a client race each other.
 */
export function plan(constraints: PlanConstraints = {}): fc.Arbitrary<PlanMethod[][]> {
  return fc.array(fc.array(fc.constantFrom(...METHODS), { minLength: 1, maxLength: constraints.maxConcurrent ?? 4 }), {
    minLength: 1,
    maxLength: constraints.maxSteps ?? 5,
  });
}
