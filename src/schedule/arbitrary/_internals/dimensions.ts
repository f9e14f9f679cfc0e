import fc from 'fast-check';

/**
 * The dimensions a generated schedule varies along. Each field of a schedule
 * belongs to one; a dimension left out keeps `BASE_SCHEDULE`'s values, so a
 * narrowed arbitrary still shrinks towards the same floor.
 */
export const SCHEDULE_DIMENSIONS = [
  /** Initial nonces, nonce challenges and rotations at both servers (RFC 9449 §8, §9). */
  'nonces',
  /** `invalid_dpop_proof`, `invalid_token`, transient 429/503 (RFC 9449 §5, RFC 6750 §3.1, RFC 9110 §15). */
  'errors',
  /** 307/308 in front of the token endpoint and the MCP endpoint, redirects to another origin. */
  'redirects',
  /** Token endpoint and MCP URL paths and queries (RFC 9449 §4.2 htu), one origin for both servers. */
  'urls',
  /** Advertised `dpop_signing_alg_values_supported` and whether they are enforced (RFC 9449 §5.1). */
  'algs',
  /** `token_type` spellings, access token shapes, lifetimes and refresh tokens (RFC 6749 §5.1, §6). */
  'tokens',
  /** Challenge schemes and spellings, `dpop_bound_access_tokens_required` (RFC 9110 §11.6.1, RFC 9449 §5.2, §7.2). */
  'challenges',
  /** Concurrent calls in a plan step and response delays that reorder answers. */
  'concurrency',
] as const;

export type ScheduleDimension = (typeof SCHEDULE_DIMENSIONS)[number];

/** Which dimensions vary; at most one of the two fields. */
export interface DimensionConstraints {
  /** Vary only these dimensions (default: all). */
  readonly only?: readonly ScheduleDimension[];
  /** Vary every dimension but these. */
  readonly without?: readonly ScheduleDimension[];
}

/** The dimensions that vary under the constraints; throws on an unknown name or on both fields. */
export function variedDimensions(constraints: DimensionConstraints): ReadonlySet<ScheduleDimension> {
  const { only, without } = constraints;
  if (only !== undefined && without !== undefined) throw new RangeError('give `only` or `without` dimensions, not both');
  for (const name of [...(only ?? []), ...(without ?? [])]) {
    if (!(SCHEDULE_DIMENSIONS as readonly string[]).includes(name)) {
      throw new RangeError(`unknown schedule dimension ${JSON.stringify(name)}; known: ${SCHEDULE_DIMENSIONS.join(', ')}`);
    }
  }
  if (only !== undefined) return new Set(only);
  return new Set(SCHEDULE_DIMENSIONS.filter((d) => !(without ?? []).includes(d)));
}

/** `arbitrary` when `dimension` varies, else the base value. */
export function along<T>(varied: ReadonlySet<ScheduleDimension>, dimension: ScheduleDimension, arbitrary: fc.Arbitrary<T>, base: T): fc.Arbitrary<T> {
  return varied.has(dimension) ? arbitrary : fc.constant(base);
}

/** A `towardsFirst` branch that belongs to a dimension. */
export interface DimensionBranch<T> {
  readonly dimension: ScheduleDimension | null;
  readonly weight: number;
  readonly arbitrary: fc.Arbitrary<T>;
}

/** The branches whose dimension varies; a branch of no dimension (the default behaviour) always stays. */
export function branchesAlong<T>(varied: ReadonlySet<ScheduleDimension>, branches: readonly DimensionBranch<T>[]): { readonly weight: number; readonly arbitrary: fc.Arbitrary<T> }[] {
  return branches.filter((b) => b.dimension === null || varied.has(b.dimension)).map(({ weight, arbitrary }) => ({ weight, arbitrary }));
}

/** Every dimension varies: the arbitraries' default. */
export const ALL_DIMENSIONS: ReadonlySet<ScheduleDimension> = new Set(SCHEDULE_DIMENSIONS);
