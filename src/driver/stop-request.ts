/** Why a client run is being stopped early. */
export type StopReason = 'timeout' | 'abort';

export interface StopRequest {
  /** Resolves with the first reason to stop: the timeout, or the caller's abort signal. */
  readonly requested: Promise<StopReason>;
  /** Asks for a stop now (e.g. from a cleanup handler). */
  request(reason: StopReason): void;
  /** Cancels the timer and the abort listener once the run is over. */
  dispose(): void;
}

/** One place for the timeout-or-abort race both client runners need. */
export function stopRequest(timeoutMs: number, signal: AbortSignal | undefined): StopRequest {
  let request: (reason: StopReason) => void = () => {};
  const requested = new Promise<StopReason>((resolve) => {
    request = resolve;
  });
  const timer = setTimeout(() => request('timeout'), timeoutMs);
  const onAbort = (): void => request('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    requested,
    request: (reason) => request(reason),
    dispose: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
