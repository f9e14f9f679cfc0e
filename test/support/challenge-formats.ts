import type { ChallengeFormat } from '../../src/schedule/types.ts';

/** Every combination of the challenge format's switches (3 scheme spellings × 2⁶ = 192). */
export function allChallengeFormats(): ChallengeFormat[] {
  const out: ChallengeFormat[] = [];
  for (const schemeCase of ['DPoP', 'dpop', 'DPOP'] as const) {
    for (let bits = 0; bits < 64; bits++) {
      const b = (i: number) => (bits & (1 << i)) !== 0;
      out.push({ schemeCase, errorFirst: b(0), bareError: b(1), spaced: b(2), extraParam: b(3), bearerFirst: b(4), separateHeaders: b(5) });
    }
  }
  return out;
}
