/**
 * Plumbing that lets a client honour the run's abort signal whatever library
 * makes the request: nothing here changes a request beyond its `signal`.
 */

/**
 * `fetch` with `signal` added to every request, alongside the request's own
 * signal if it has one: once `signal` fires, requests in flight (an open SSE
 * stream included) are aborted and new ones fail at once.
 */
export function fetchWithSignal(base: typeof fetch, signal: AbortSignal): typeof fetch {
  return (input, init) => {
    const own = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    return base(input, { ...init, signal: own ? AbortSignal.any([own, signal]) : signal });
  };
}

/** Waits `ms`, or rejects with the signal's reason once it fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An abort controller for one client run: it fires when the run's signal does,
 * and the run fires it itself when it ends, so that nothing it started (such
 * as the MCP transport's background SSE stream) outlives it.
 */
export function runController(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true, signal: controller.signal });
  return controller;
}

/** A request body both OAuth libraries can send (and send again after a nonce challenge). */
export type RequestBody = string | URLSearchParams | ArrayBuffer | Uint8Array | null | undefined;

/**
 * The body of a request the MCP transport makes (a JSON string, or none) in a
 * type the OAuth libraries' resource request functions take. Throws on any
 * other kind of body, which the transport never sends.
 */
export function requestBody(body: BodyInit | null | undefined): RequestBody {
  if (body === undefined || body === null || typeof body === 'string') return body;
  if (body instanceof URLSearchParams || body instanceof ArrayBuffer || body instanceof Uint8Array) return body;
  throw new TypeError('unsupported request body: only strings, URLSearchParams and bytes can be signed for and resent');
}

/** What openid-client and oauth4webapi pass to a `customFetch`: `fetch` options (their `CustomFetchOptions`). */
export interface LibraryFetchOptions {
  readonly body?: RequestBody | ReadableStream;
  readonly headers: Record<string, string>;
  readonly method: string;
  readonly redirect: 'manual';
  readonly signal?: AbortSignal;
  readonly duplex?: 'half';
}

/**
 * `fetch` as the libraries' `customFetch` option: "the arguments and expected
 * return are the same as fetch" (openid-client `customFetch` docs). Only the
 * body's TypeScript type needs help: the libraries type a `Uint8Array` over
 * any buffer, `fetch` only over an `ArrayBuffer` (the docs expect such type
 * friction); they never send the other kind.
 */
export function customFetchOf(base: typeof fetch): (url: string, options: LibraryFetchOptions) => Promise<Response> {
  return (url, { body, ...options }) => base(url, { ...options, body: body as BodyInit | null | undefined });
}
