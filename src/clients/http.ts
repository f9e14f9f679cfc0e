/** Small HTTP helpers shared by the OAuth and MCP parts of the client. */

/** RFC 6454 §4: same scheme, host and port. */
export function sameOrigin(a: string | URL, b: string | URL): boolean {
  return new URL(a).origin === new URL(b).origin;
}

/** RFC 9110 §15.4.8/§15.4.9: redirects that keep the method and body. */
export function isMethodPreservingRedirect(status: number): boolean {
  return status === 307 || status === 308;
}

/** The absolute target of a redirect response, or null when there is none (RFC 9110 §10.2.2). */
export function redirectTarget(response: Response, requestUrl: string | URL): URL | null {
  const location = response.headers.get('location');
  if (location === null) return null;
  try {
    return new URL(location, requestUrl);
  } catch {
    return null;
  }
}

/** Redirects followed for one request before giving up. */
export const MAX_REDIRECTS = 5;

/**
 * Whether this client follows a 307/308 answered to `requestUrl` after
 * `hops` redirects of the same request: only to the same origin (RFC 6454;
 * the access token and proofs are meant for that origin), only up to
 * {@link MAX_REDIRECTS} hops. Returns the target, or why it is refused.
 * `refuseAll`: a client that follows no redirect at all; `crossOrigin`: one
 * that (wrongly) follows to other origins too.
 */
export function redirectToFollow(
  response: Response,
  requestUrl: URL,
  hops: number,
  options: { readonly refuseAll?: boolean; readonly crossOrigin?: boolean } = {},
): { readonly target: URL } | { readonly refused: string } {
  if (options.refuseAll) return { refused: `redirect (${response.status}); this client does not follow redirects` };
  const target = redirectTarget(response, requestUrl);
  if (target === null) return { refused: `redirect (${response.status}) without a usable Location` };
  if (!sameOrigin(target, requestUrl) && !options.crossOrigin) {
    return { refused: `redirect (${response.status}) to another origin, ${target.origin}; only same-origin redirects are followed` };
  }
  if (hops >= MAX_REDIRECTS) return { refused: `more than ${MAX_REDIRECTS} redirects` };
  return { target };
}

export const DEFAULT_RETRY_DELAY_MS = 100;
export const MAX_RETRY_DELAY_MS = 1000;

/**
 * Delay before retrying after 429/503 (RFC 9110 §10.2.3 `Retry-After`:
 * delay-seconds or an HTTP-date), capped at {@link MAX_RETRY_DELAY_MS} so a
 * test run never stalls; {@link DEFAULT_RETRY_DELAY_MS} when absent or invalid.
 */
export function retryDelayMs(retryAfter: string | null, now: number = Date.now()): number {
  if (retryAfter === null) return DEFAULT_RETRY_DELAY_MS;
  const value = retryAfter.trim();
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * 1000;
  } else {
    // An HTTP-date always names a day or month (RFC 9110 §5.6.7); this keeps
    // Date.parse from reading "-1" as a year.
    const date = /[A-Za-z]/.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(date)) return DEFAULT_RETRY_DELAY_MS;
    ms = date - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_DELAY_MS);
}

/** Waits `ms` milliseconds, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Aborts when any of the given signals aborts. */
export function anySignal(...signals: (AbortSignal | null | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== null && s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return AbortSignal.any(present);
}

/** Reads a JSON object body; null when the body is not a JSON object. */
export async function readJsonObject(response: Response): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A string member of a JSON object, or null. */
export function stringMember(object: Record<string, unknown> | null, name: string): string | null {
  const value = object?.[name];
  return typeof value === 'string' ? value : null;
}

/** Discards a response body so the connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to do: the body is gone either way.
  }
}
