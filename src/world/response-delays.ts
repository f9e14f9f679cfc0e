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
/** Longest a response waits for concurrent requests to catch up before the gate (ms). */
const QUIET_WAIT_MS = 20;

export class ResponseDelays {
  private arrivals = 0;
  /** Requests that arrived and have not reached their release point yet. */
  private inFlight = 0;
  private quietWaiters: (() => void)[] = [];
  private closed = false;
  private readonly pending = new Map<ReturnType<typeof setTimeout>, () => void>();
  private releaseAll: () => void = () => {};
  private readonly closedSignal = new Promise<void>((resolve) => {
    this.releaseAll = resolve;
  });

  /**
   * `gate`, when given, is awaited before every response is released (after
   * its delay): an in-process run hands it to fast-check's scheduler, which
   * then decides, reproducibly, the order in which answers to concurrent
   * requests go out.
   */
  constructor(
    private readonly delays: readonly number[],
    private readonly gate?: (label: string) => Promise<void>,
  ) {}

  /** Counts one arriving request; returns how long its response must wait (ms). */
  arrive(): number {
    const index = this.arrivals++;
    this.inFlight++;
    return this.delays[index] ?? 0;
  }

  /** A request that ends without a response to release (e.g. the request cap). */
  leave(): void {
    this.settle();
  }

  private settle(): void {
    this.inFlight--;
    if (this.inFlight > 0) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Resolves once every request that has arrived is waiting to be released
   * (or after `QUIET_WAIT_MS`), so the scheduler chooses among all the
   * answers that are due at the same time, not just the first one.
   */
  private quiet(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, QUIET_WAIT_MS);
      timer.unref();
      this.quietWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Resolves after `ms` and the gate, or as soon as the world closes. */
  async wait(ms: number, label = ''): Promise<void> {
    await this.sleep(ms);
    this.settle();
    if (!this.gate || this.closed) return;
    await Promise.race([this.quiet(), this.closedSignal]);
    if (!this.closed) await Promise.race([this.gate(label), this.closedSignal]);
  }

  private sleep(ms: number): Promise<void> {
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
    this.releaseAll();
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}
