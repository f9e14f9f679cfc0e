/** A command line the tool cannot act on; exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
