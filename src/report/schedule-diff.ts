import { isDeepStrictEqual } from 'node:util';
import { BASE_SCHEDULE } from '../schedule/defaults.ts';
import type { Schedule } from '../schedule/types.ts';

/**
 * Part of a schedule: nested objects hold only the fields that differ, while
 * lists and tagged unions (objects with a `kind`) appear whole, since half an
 * action list or half a `{ kind, nonce }` reads as nonsense.
 */
type DiffOf<T> = {
  readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends { readonly kind: string } ? T[K] : T[K] extends object ? DiffOf<T[K]> : T[K];
};

/** The fields of a schedule that differ from another one. */
export type ScheduleDiff = DiffOf<Schedule>;

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diffObjects(value: Readonly<Record<string, unknown>>, base: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = [...Object.keys(value), ...Object.keys(base).filter((k) => !(k in value))];
  for (const key of keys) {
    const v = value[key];
    const b = base[key];
    if (isDeepStrictEqual(v, b)) continue;
    // A field the default has and this schedule lacks shows as null: JSON cannot say "absent".
    if (v === undefined) out[key] = null;
    else if (isPlainObject(v) && isPlainObject(b) && !('kind' in v) && !('kind' in b)) {
      const nested = diffObjects(v, b);
      if (Object.keys(nested).length > 0) out[key] = nested;
    } else out[key] = v;
  }
  return out;
}

/**
 * The fields of `schedule` that differ from `base` (by default the schedule
 * shrinking aims at), so a report shows only the server behaviour that makes
 * the client fail (e.g. one RFC 9449 §9 `use-dpop-nonce` action). Empty when
 * they are equal.
 */
export function scheduleDiff(schedule: Schedule, base: Schedule = BASE_SCHEDULE): ScheduleDiff {
  return diffObjects(schedule as unknown as Readonly<Record<string, unknown>>, base as unknown as Readonly<Record<string, unknown>>) as ScheduleDiff;
}
