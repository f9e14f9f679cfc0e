/**
 * Checks a numeric option of the library API: a whole number from `min` (to
 * `max`), or a RangeError naming the option. A NaN, a fraction or a negative
 * count would otherwise reach fast-check or the search loop and turn into
 * its error message, or into a run that runs nothing and passes.
 */
export function assertWholeNumber(name: string, value: number | null | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined || value === null) return;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${String(value)}`);
  }
}
