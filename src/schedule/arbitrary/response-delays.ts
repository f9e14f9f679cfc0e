import fc from 'fast-check';

/**
 * How long the servers hold each response (ms, by arrival order): usually
 * not at all; otherwise a few short delays that let a later request overtake
 * an earlier one. This is how the answers to concurrent requests are
 * reordered for a client in another process, which no in-process scheduler
 * can reach.
 */
export function responseDelays(): fc.Arbitrary<number[]> {
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.constant<number[]>([]) },
    { weight: 1, arbitrary: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 25 })), { minLength: 1, maxLength: 16 }) },
  );
}
