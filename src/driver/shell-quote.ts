/**
 * Quotes one argument for a POSIX shell (`sh -c`). Inside single quotes
 * nothing is special except the single quote itself (POSIX.1-2017 XCU §2.2.2),
 * which is closed, escaped, and reopened. The result is always one word, so a
 * server URL with `&`, `;`, `$(…)` or spaces reaches the client verbatim.
 */
export function quoteShellArg(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
