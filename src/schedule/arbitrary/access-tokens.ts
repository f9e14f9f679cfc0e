import fc from 'fast-check';
import type { AccessTokenFormat } from '../types.ts';
import { towardsFirst, weighted } from './_internals/weighted.ts';

/** RFC 6750 §2.1 b64token characters other than the trailing `=`; "a" first so stems shrink to "a". */
const B64TOKEN_CHARS = 'aAbZz09-._~+/'.split('').concat('BCDEFGHIJKLMNOPQRSTUVWXYcdefghijklmnopqrstuvwxy12345678'.split(''));

/**
 * Access token shapes: a JWT (the default) or an opaque string over the whole
 * b64token alphabet (RFC 6750 §2.1), `+ / = ~` included: the token must be
 * presented byte-exact and hashed as is for `ath` (RFC 9449 §4.2).
 */
export function accessTokens(): fc.Arbitrary<AccessTokenFormat> {
  return towardsFirst<AccessTokenFormat>(
    weighted(3, { kind: 'jwt' }),
    {
      weight: 1,
      arbitrary: fc
        .record({
          stem: fc.string({ unit: fc.constantFrom(...B64TOKEN_CHARS), minLength: 1, maxLength: 48 }),
          padding: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        })
        .map(({ stem, padding }): AccessTokenFormat => ({ kind: 'opaque', stem, padding })),
    },
  );
}
