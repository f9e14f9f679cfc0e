/**
 * Holds responses back by the schedule's `responseDelays`, so that answers to
 * concurrent requests can overtake each other. A request's index is its
 * arrival order across both servers, counted when its handler starts: the
 * trace's `seq` is only assigned after the body was read and the proof
 * inspected, so under concurrency it could differ from true arrival order.
 *
 * Timers are unref'd and released at once when the world closes, so a closed
 * world never waits for a pending delay.
 */
export class ResponseDelays {
  private arrivals = 0;
  private closed = false;
  private readonly pending = new Map<ReturnType<typeof setTimeout>, () => void>();

  constructor(private readonly delays: readonly number[]) {}

  /** Counts one arriving request; returns how long its response must wait (ms). */
  arrive(): number {
    const index = this.arrivals++;
    return this.delays[index] ?? 0;
  }

  /** Resolves after `ms`, or as soon as the world closes. */
  wait(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.pending.set(timer, resolve);
    });
  }

  /** Releases every pending delay; later waits resolve at once. */
  close(): void {
    this.closed = true;
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}
