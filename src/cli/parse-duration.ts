import { UsageError } from './usage-error.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `30m`, `2h`, `1500ms` (or a bare number of seconds) → milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`--${flag} must be a duration like 90s, 30m or 2h, got ${JSON.stringify(value)}`);
  const ms = Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000);
  if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError(`--${flag} must be positive, got ${JSON.stringify(value)}`);
  return Math.round(ms);
}
