export interface ShowOptions {
  /** Longest text shown. */
  readonly max: number;
  /** Show a plain printable string without JSON quotes. */
  readonly bare: boolean;
}

/**
 * A received value as it appears in a problem message: short and
 * unambiguous (JSON, unless it is a plain printable token and `bare`).
 */
export function showValue(value: unknown, { max, bare }: ShowOptions): string {
  if (bare && typeof value === 'string' && value.length <= max && /^[\x21-\x7E]+$/.test(value)) return value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
