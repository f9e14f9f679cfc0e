import fc from 'fast-check';
import type { McpAction, McpThen } from '../types.ts';
import { nonceBody } from './nonce.ts';
import { ALL_DIMENSIONS, branchesAlong, type ScheduleDimension } from './_internals/dimensions.ts';
import { towardsFirst, weighted } from './_internals/weighted.ts';

/**
 * One accepted MCP request: serve it, rotate the nonce on the success
 * (RFC 9449 §8.2, §9), challenge for a nonce (§9), reject the token
 * (RFC 6750 §3.1), fail transiently (RFC 9110 §15.5.30, §15.6.4) or
 * redirect it to another origin (where no credential may follow).
 */
export function mcpAction(varied: ReadonlySet<ScheduleDimension> = ALL_DIMENSIONS): fc.Arbitrary<McpAction> {
  return towardsFirst<McpAction>(
    ...branchesAlong<McpAction>(varied, [
      { dimension: null, ...weighted(5, { kind: 'ok' }) },
      { dimension: 'nonces', weight: 3, arbitrary: nonceBody().map((nonce) => ({ kind: 'use-dpop-nonce', nonce })) },
      { dimension: 'nonces', weight: 2, arbitrary: nonceBody().map((nonce) => ({ kind: 'ok-new-nonce', nonce })) },
      { dimension: 'errors', ...weighted(1, { kind: 'invalid-token' }) },
      {
        dimension: 'errors',
        weight: 1,
        arbitrary: fc
          .record({ status: fc.constantFrom(503 as const, 429 as const), retryAfter: retryAfter() })
          .map(({ status, retryAfter }): McpAction => (retryAfter === undefined ? { kind: 'transient', status } : { kind: 'transient', status, retryAfter })),
      },
      { dimension: 'redirects', weight: 1, arbitrary: fc.constantFrom(307 as const, 308 as const).map((status): McpAction => ({ kind: 'redirect-elsewhere', status })) },
    ]),
  );
}

/**
 * The Retry-After of a transient answer (RFC 9110 §10.2.3): absent, 0 or 1
 * second. A conformant client waits the whole second, about ten times a
 * typical run, so 1 is kept rare: no check depends on the length of the wait,
 * only on the retry that follows it, and a rare 1 still reaches clients that
 * schedule the retry on a timer.
 */
function retryAfter(): fc.Arbitrary<number | undefined> {
  return towardsFirst<number | undefined>(weighted(4, undefined), weighted(4, 0), weighted(1, 1));
}

/** What the MCP server does after its list: mostly serve. */
export function mcpThen(varied: ReadonlySet<ScheduleDimension> = ALL_DIMENSIONS): fc.Arbitrary<McpThen> {
  return towardsFirst<McpThen>(
    ...branchesAlong<McpThen>(varied, [
      { dimension: null, ...weighted(18, { kind: 'ok' }) },
      { dimension: 'errors', ...weighted(1, { kind: 'invalid-token' }) },
      { dimension: 'nonces', weight: 1, arbitrary: nonceBody().map((noncePrefix) => ({ kind: 'use-dpop-nonce', noncePrefix })) },
    ]),
  );
}
