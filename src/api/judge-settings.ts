import { CHECK_IDS, isCheckId, type CheckId } from '../checks/registry.ts';
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions, type Profile } from '../checks/types.ts';
import { assertWholeNumber } from '../whole-number.ts';

/** How a trace is judged; every field is optional. */
export interface JudgeSettings {
  /** Check IDs to judge (default: the whole catalogue). */
  readonly checks?: readonly CheckId[];
  /** `sep-1932` (default) or `rfc9449`, which allows Bearer after a Bearer-only challenge (RFC 9449 §7.2). */
  readonly profile?: Profile;
  /** Consecutive retries of one request that count as a storm (default 5). */
  readonly maxRetries?: number;
  /** Accepted |iat − arrival| in seconds (default 300, SEP-1932's ±5 minutes). */
  readonly iatWindowSeconds?: number;
}

/** The judge's options for these settings, defaults filled in. */
export function judgeOptionsOf(settings: JudgeSettings): JudgeOptions {
  if (settings.profile !== undefined && settings.profile !== 'sep-1932' && settings.profile !== 'rfc9449') {
    throw new RangeError(`profile must be sep-1932 or rfc9449, got ${JSON.stringify(settings.profile)}`);
  }
  assertWholeNumber('maxRetries', settings.maxRetries, 0);
  assertWholeNumber('iatWindowSeconds', settings.iatWindowSeconds, 0);
  return {
    profile: settings.profile ?? DEFAULT_JUDGE_OPTIONS.profile,
    maxRetries: settings.maxRetries ?? DEFAULT_JUDGE_OPTIONS.maxRetries,
    iatWindowSeconds: settings.iatWindowSeconds ?? DEFAULT_JUDGE_OPTIONS.iatWindowSeconds,
  };
}

/** The checks to judge, validated: an unknown ID is a programming error worth a clear message. */
export function checksOf(settings: JudgeSettings): readonly CheckId[] {
  const checks = settings.checks ?? CHECK_IDS;
  // No check at all would pass every client.
  if (checks.length === 0) throw new RangeError('checks must name at least one check');
  const unknown = checks.filter((id) => !isCheckId(id));
  if (unknown.length > 0) throw new RangeError(`unknown check id(s): ${unknown.join(', ')}; see CHECKS for the catalogue`);
  return checks;
}
