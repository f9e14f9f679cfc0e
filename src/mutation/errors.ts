/** A mutation run that cannot start or finish (bad selector, missing package, Stryker failure). One-line message. */
export class MutationError extends Error {
  override readonly name = 'MutationError';
}
