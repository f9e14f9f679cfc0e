import fc from 'fast-check';
import { authServer, type AuthServerConstraints } from './arbitrary/auth-server.ts';
import { mcpServer, type McpServerConstraints } from './arbitrary/mcp-server.ts';
import { endlessPrefix, numberedNonce } from './arbitrary/nonce.ts';
import { plan, type PlanConstraints } from './arbitrary/plan.ts';
import { responseDelays } from './arbitrary/response-delays.ts';
import { along, variedDimensions } from './arbitrary/_internals/dimensions.ts';
import { towardsFirst, weighted } from './arbitrary/_internals/weighted.ts';
import { assertWholeNumber } from '../whole-number.ts';
import { BASE_SCHEDULE } from './defaults.ts';
import type { McpAction, Schedule, TokenAction, Topology } from './types.ts';

export { accessTokens } from './arbitrary/access-tokens.ts';
export { authServer, redirect, type AuthServerConstraints } from './arbitrary/auth-server.ts';
export { challengeFormat } from './arbitrary/challenge-format.ts';
export { mcpAction, mcpThen } from './arbitrary/mcp-action.ts';
export { mcpServer, type McpServerConstraints } from './arbitrary/mcp-server.ts';
export { nonceBody } from './arbitrary/nonce.ts';
export { plan, type PlanConstraints } from './arbitrary/plan.ts';
export { responseDelays } from './arbitrary/response-delays.ts';
export { SCHEDULE_DIMENSIONS, type DimensionConstraints, type ScheduleDimension } from './arbitrary/_internals/dimensions.ts';
export { tokenAction, tokenThen } from './arbitrary/token-action.ts';

/**
 * Constraints on a generated schedule; every field is optional. `only` or
 * `without` narrow the dimensions that vary (see `SCHEDULE_DIMENSIONS`);
 * the others keep `BASE_SCHEDULE`'s values.
 */
export interface ScheduleConstraints extends AuthServerConstraints, McpServerConstraints, PlanConstraints {}

/**
 * Makes every nonce of a generated schedule distinct: the generators choose
 * nonce bodies, this appends `|index` in document order (the judges tell
 * nonces apart by value; see `parseSchedule`).
 */
export function numberNonces(schedule: Schedule): Schedule {
  let next = 0;
  const named = (body: string) => numberedNonce(body, next++);
  const opt = (body: string | null) => (body === null ? null : named(body));
  const token = (a: TokenAction): TokenAction => ('nonce' in a ? { ...a, nonce: named(a.nonce) } : a);
  const mcp = (a: McpAction): McpAction => ('nonce' in a ? { ...a, nonce: named(a.nonce) } : a);
  const { as, mcp: rs } = schedule;
  return {
    ...schedule,
    as: {
      ...as,
      initialNonce: opt(as.initialNonce),
      tokenRequests: as.tokenRequests.map(token),
      then: as.then.kind === 'use-dpop-nonce' ? { ...as.then, noncePrefix: endlessPrefix(as.then.noncePrefix, 'as') } : as.then,
    },
    mcp: {
      ...rs,
      initialNonce: opt(rs.initialNonce),
      post: rs.post.map(mcp),
      get: rs.get.map(mcp),
      delete: rs.delete.map(mcp),
      then: rs.then.kind === 'use-dpop-nonce' ? { ...rs.then, noncePrefix: endlessPrefix(rs.then.noncePrefix, 'mcp') } : rs.then,
    },
  };
}

/**
 * Every schedule the fuzzer can run: both servers' behaviour, the topology,
 * the plan and the response delays. Shrinks towards `BASE_SCHEDULE`: fewer
 * events, default values.
 */
export function scheduleArbitrary(constraints: ScheduleConstraints = {}): fc.Arbitrary<Schedule> {
  const varied = variedDimensions(constraints);
  assertWholeNumber('maxTokenActions', constraints.maxTokenActions, 0);
  assertWholeNumber('maxPostActions', constraints.maxPostActions, 0);
  assertWholeNumber('maxSteps', constraints.maxSteps, 1);
  assertWholeNumber('maxConcurrent', constraints.maxConcurrent, 1);
  const base = BASE_SCHEDULE;
  // Without concurrency, every step asks for one call and answers are never held back.
  const calls = varied.has('concurrency') ? constraints : { ...constraints, maxConcurrent: 1 };
  return fc
    .record({
      topology: along(varied, 'urls', towardsFirst<Topology>(weighted(3, 'separate-origins'), weighted(1, 'same-origin')), base.topology),
      as: authServer(constraints),
      mcp: mcpServer(constraints),
      plan: plan(calls),
      responseDelays: along(varied, 'concurrency', responseDelays(), base.responseDelays),
    })
    .map((parts): Schedule => numberNonces({ version: 1, ...parts }));
}
