import fc from 'fast-check';
import type { TokenAction, TokenThen } from '../types.ts';
import { nonceBody } from './nonce.ts';
import { ALL_DIMENSIONS, branchesAlong, type ScheduleDimension } from './_internals/dimensions.ts';
import { towardsFirst, weighted } from './_internals/weighted.ts';

/**
 * One accepted token request: mostly nonce challenges (RFC 9449 §8), also a
 * new nonce on a 200 (§8.2) and an `invalid_dpop_proof` (§5). Nonces are
 * bodies only; `numberNonces` makes them distinct.
 */
export function tokenAction(varied: ReadonlySet<ScheduleDimension> = ALL_DIMENSIONS): fc.Arbitrary<TokenAction> {
  return towardsFirst<TokenAction>(
    ...branchesAlong<TokenAction>(varied, [
      { dimension: null, ...weighted(3, { kind: 'ok' }) },
      { dimension: 'nonces', weight: 3, arbitrary: nonceBody().map((nonce) => ({ kind: 'use-dpop-nonce', nonce })) },
      { dimension: 'nonces', weight: 2, arbitrary: nonceBody().map((nonce) => ({ kind: 'ok-new-nonce', nonce })) },
      { dimension: 'errors', ...weighted(1, { kind: 'invalid-dpop-proof' }) },
    ]),
  );
}

/** What the token endpoint does after its list: mostly serve, rarely refuse or challenge forever. */
export function tokenThen(varied: ReadonlySet<ScheduleDimension> = ALL_DIMENSIONS): fc.Arbitrary<TokenThen> {
  return towardsFirst<TokenThen>(
    ...branchesAlong<TokenThen>(varied, [
      { dimension: null, ...weighted(18, { kind: 'ok' }) },
      { dimension: 'errors', ...weighted(1, { kind: 'invalid-dpop-proof' }) },
      { dimension: 'nonces', weight: 1, arbitrary: nonceBody().map((noncePrefix) => ({ kind: 'use-dpop-nonce', noncePrefix })) },
    ]),
  );
}
