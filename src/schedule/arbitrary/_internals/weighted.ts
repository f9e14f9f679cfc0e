import fc from 'fast-check';

/**
 * `fc.oneof` that shrinks across branches towards the first one: the first
 * branch is always the default behaviour, so counterexamples shrink to the
 * plain schedule plus only the events that matter.
 */
export function towardsFirst<T>(...branches: ReadonlyArray<{ readonly weight: number; readonly arbitrary: fc.Arbitrary<T> }>): fc.Arbitrary<T> {
  return fc.oneof({ withCrossShrink: true }, ...branches);
}

/** A constant picked with a weight, for `towardsFirst`. */
export function weighted<T>(weight: number, value: T): { readonly weight: number; readonly arbitrary: fc.Arbitrary<T> } {
  return { weight, arbitrary: fc.constant(value) };
}
