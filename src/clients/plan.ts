import type { PlanMethod } from '../schedule/types.ts';

/**
 * The work a client run does once connected, as handed over in the
 * conformance context (`MCP_CONFORMANCE_CONTEXT`): steps run in order, the
 * methods of one step concurrently.
 */
export type Plan = readonly (readonly PlanMethod[])[];

// A record keyed by PlanMethod, so a method added to the type must be added here.
const KNOWN_METHODS: Readonly<Record<PlanMethod, true>> = {
  'tools/list': true,
  'tools/call': true,
  ping: true,
  'resources/list': true,
  'prompts/list': true,
};

export const DEFAULT_PLAN: Plan = [['tools/list'], ['tools/call']];

function isPlanMethod(value: unknown): value is PlanMethod {
  return typeof value === 'string' && Object.hasOwn(KNOWN_METHODS, value);
}

/**
 * Reads the plan from a conformance context: an object (or its JSON text)
 * whose `steps` is an array of arrays of methods. A context without `steps`
 * gives {@link DEFAULT_PLAN}; a malformed `steps` is an error, not ignored.
 */
export function planFromContext(context: unknown): Plan {
  let value = context;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      throw new Error('the conformance context is not valid JSON');
    }
  }
  if (value === undefined || value === null) return DEFAULT_PLAN;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('the conformance context is not a JSON object');
  const steps: unknown = (value as Record<string, unknown>)['steps'];
  if (steps === undefined) return DEFAULT_PLAN;
  if (!Array.isArray(steps)) throw new Error('context.steps is not an array');
  return steps.map((step: unknown, i) => {
    if (!Array.isArray(step)) throw new Error(`context.steps[${i}] is not an array`);
    return step.map((method: unknown, j) => {
      if (!isPlanMethod(method)) {
        throw new Error(`context.steps[${i}][${j}] is ${JSON.stringify(method)}, not one of ${Object.keys(KNOWN_METHODS).join(', ')}`);
      }
      return method;
    });
  });
}
