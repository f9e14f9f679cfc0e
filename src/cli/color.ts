/**
 * Whether to colour what is written to `stream`: only on a terminal, and
 * never when NO_COLOR is set to a non-empty value (https://no-color.org).
 */
export function useColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env['NO_COLOR'] ?? '') === '';
}
