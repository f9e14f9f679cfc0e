import type { Schedule } from '../schedule/types.ts';
import type { ClientOutcome, Trace } from '../trace/types.ts';

/** Same statuses as the official MCP conformance suite (minus INFO). */
export type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED';

export interface SpecReference {
  readonly id: string;
  readonly url: string;
}

/**
 * Where RFC 9449 and MCP's DPoP profile differ, the profile decides:
 * `sep-1932` (default) requires the `DPoP` scheme for a DPoP-bound token in all
 * cases; `rfc9449` allows `Bearer` after a Bearer-only challenge (§7.2).
 */
export type Profile = 'sep-1932' | 'rfc9449';

export interface JudgeOptions {
  readonly profile: Profile;
  /** Most retries of one request after consecutive challenges before it counts as a storm. */
  readonly maxRetries: number;
  /** Accepted |iat − arrival| in seconds (SEP-1932: ±5 minutes). */
  readonly iatWindowSeconds: number;
}

export const DEFAULT_JUDGE_OPTIONS: JudgeOptions = {
  profile: 'sep-1932',
  maxRetries: 5,
  iatWindowSeconds: 300,
};

/** Everything a check may look at: recorded data only, never the network or the clock. */
export interface JudgeInput {
  readonly trace: Trace;
  readonly schedule: Schedule;
  readonly outcome: ClientOutcome;
  readonly options: JudgeOptions;
}

export interface CheckResult {
  readonly id: string;
  readonly status: CheckStatus;
  /** One sentence: what was found. */
  readonly message: string;
  /** `seq` of the trace entries that show it. */
  readonly evidence: readonly number[];
}

/** A check is a pure function of recorded data. */
export type CheckFn = (input: JudgeInput) => CheckResult;
