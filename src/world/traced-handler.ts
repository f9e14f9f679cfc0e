import type { Context } from 'hono';
import type { Decision, Endpoint, ServerRole } from '../trace/types.ts';
import { readRequest, type ReadRequest } from './request-facts.ts';
import type { WorldContext } from './context.ts';

/** What a server handler decided about one request. */
export interface HandlerResult {
  readonly response: Response;
  readonly decision: Decision;
  readonly error?: string | null;
  readonly issuedTokenId?: string | null;
  readonly issuedSessionId?: string | null;
}

/** Response headers the trace keeps (DPoP, challenges, redirects, sessions). */
const KEPT_HEADERS = ['dpop-nonce', 'www-authenticate', 'retry-after', 'location', 'content-type', 'mcp-session-id', 'cache-control'];

export type TracedHandler = (req: ReadRequest, seq: number, c: Context) => Promise<HandlerResult>;

/**
 * Wraps a handler so that every request is recorded with what the server
 * decided. A handler that throws becomes a recorded 500, never a crash.
 */
export function traced(world: WorldContext, server: ServerRole, endpoint: Endpoint, handler: TracedHandler) {
  return async (c: Context): Promise<Response> => {
    const read = await readRequest(c, server, endpoint, world.recorder, world.now());
    const seq = world.recorder.begin(read.facts);
    if (seq === null) {
      return c.json({ error: 'temporarily_unavailable', error_description: 'request cap of this run reached' }, 503);
    }
    let result: HandlerResult;
    try {
      result = await handler(read, seq, c);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      result = {
        response: c.json({ error: 'server_error', error_description: reason }, 500),
        decision: { kind: 'rejected', error: 'server_error', reason },
        error: 'server_error',
      };
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = result.response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    world.recorder.finish(seq, world.now(), {
      decision: result.decision,
      status: result.response.status,
      responseHeaders: headers,
      error: result.error ?? null,
      nonceDelivered: result.response.headers.get('dpop-nonce'),
      issuedTokenId: result.issuedTokenId ?? null,
      issuedSessionId: result.issuedSessionId ?? null,
    });
    return result.response;
  };
}
