import fc from 'fast-check';
import { DEFAULT_CHALLENGE_FORMAT } from '../defaults.ts';
import type { ChallengeFormat } from '../types.ts';

/** Flips one flag of the default with a small probability, so most runs see the usual spelling. */
function flag(usual: boolean): fc.Arbitrary<boolean> {
  return fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constant(!usual) });
}

/**
 * Spellings of `WWW-Authenticate` that are all valid per RFC 9110 §11.6.1 /
 * §11.2 and RFC 6750 §3: scheme case, parameter order, token vs quoted
 * values, optional whitespace, unknown parameters, challenge order and one
 * or several header fields.
 */
export function challengeFormat(): fc.Arbitrary<ChallengeFormat> {
  const d = DEFAULT_CHALLENGE_FORMAT;
  return fc.record({
    schemeCase: fc.oneof(
      { withCrossShrink: true },
      { weight: 4, arbitrary: fc.constant(d.schemeCase) },
      { weight: 1, arbitrary: fc.constantFrom<ChallengeFormat['schemeCase']>('dpop', 'DPOP') },
    ),
    errorFirst: flag(d.errorFirst),
    bareError: flag(d.bareError),
    spaced: flag(d.spaced),
    extraParam: flag(d.extraParam),
    bearerFirst: flag(d.bearerFirst),
    separateHeaders: flag(d.separateHeaders),
  });
}
