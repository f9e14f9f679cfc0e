/**
 * The servers' clock: milliseconds since the epoch, with the sub-millisecond
 * resolution of the monotonic clock. The trace's arrival and response times
 * decide which requests are causally ordered (a request is a retry only if it
 * arrived after the earlier attempt's answer went out); at whole
 * milliseconds, a request sent alongside another and arriving in the same
 * millisecond its twin was answered would look like a retry of it.
 */
export function traceClock(): number {
  return performance.timeOrigin + performance.now();
}
