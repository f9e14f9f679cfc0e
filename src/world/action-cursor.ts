/**
 * Hands out a schedule's actions in order: item n goes to the n-th accepted
 * request, and past the end of the list the `then` rule applies. A `then`
 * rule that challenges forever derives a new nonce each time, so every nonce
 * in a run is distinct.
 */
export class ActionCursor<A, T> {
  private next = 0;

  constructor(
    private readonly actions: readonly A[],
    private readonly then: T,
    private readonly fromThen: (rule: T, overflowIndex: number) => A,
  ) {}

  /** The action for the next accepted request, and its index. */
  take(): { index: number; action: A } {
    const index = this.next++;
    const listed = this.actions[index];
    const action = listed !== undefined ? listed : this.fromThen(this.then, index - this.actions.length);
    return { index, action };
  }
}
