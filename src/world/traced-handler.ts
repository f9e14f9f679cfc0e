import type { ServerResponse } from 'node:http';
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
  /**
   * Header fields to send as separate field lines (RFC 9110 §5.3), e.g. one
   * `WWW-Authenticate` per challenge. The response carries them joined with
   * ", " (all a `Headers` object can hold), which is also what the trace keeps.
   */
  readonly separateFields?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Sends `separateFields` as several field lines. `Headers` always joins
 * fields of one name, so they are set on Node's response directly, and the
 * joined copy is dropped from the Response so it cannot override them.
 */
function applySeparateFields(c: Context, result: HandlerResult): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing || outgoing.headersSent || !result.separateFields) return;
  for (const [name, values] of Object.entries(result.separateFields)) {
    result.response.headers.delete(name);
    outgoing.setHeader(name, [...values]);
  }
}

/** Response headers the trace keeps (DPoP, challenges, redirects, sessions). */
const KEPT_HEADERS = ['dpop-nonce', 'www-authenticate', 'retry-after', 'location', 'content-type', 'mcp-session-id', 'cache-control'];

export type TracedHandler = (req: ReadRequest, seq: number, c: Context) => Promise<HandlerResult>;

/**
 * Wraps a handler so that every request is recorded with what the server
 * decided, and its response held back as long as the schedule's
 * `responseDelays` say (`respondedAt` is taken after the delay). A handler
 * that throws becomes a recorded 500, never a crash.
 */
export function traced(world: WorldContext, server: ServerRole, endpoint: Endpoint, handler: TracedHandler) {
  return async (c: Context): Promise<Response> => {
    // Counted before the first await, so the index is the true arrival order.
    const delayMs = world.delays.arrive();
    const read = await readRequest(c, server, endpoint, world.recorder, world.now());
    const seq = world.recorder.begin(read.facts);
    if (seq === null) {
      world.delays.leave();
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
    // The schedule may hold this response back, so answers to concurrent requests can overtake each other.
    await world.delays.wait(delayMs, `${server} ${read.facts.method} ${endpoint} #${seq}`);
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = result.response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const nonceDelivered = result.response.headers.get('dpop-nonce');
    const book = server === 'as' ? world.asNonces : server === 'mcp' ? world.mcpNonces : null;
    world.recorder.finish(
      seq,
      world.now(),
      {
        decision: result.decision,
        status: result.response.status,
        responseHeaders: headers,
        error: result.error ?? null,
        nonceDelivered,
        issuedTokenId: result.issuedTokenId ?? null,
        issuedSessionId: result.issuedSessionId ?? null,
      },
      nonceDelivered === null || book === null ? -1 : book.generationOf(nonceDelivered),
    );
    applySeparateFields(c, result);
    return result.response;
  };
}

/** Any path a server does not serve: 404, recorded as endpoint `other`. */
export function notFound(world: WorldContext, server: ServerRole) {
  return traced(world, server, 'other', async (_req, _seq, c) => ({
    decision: { kind: 'rejected', error: 'not_found', reason: 'no such endpoint' },
    response: c.json({ error: 'not_found' }, 404),
  }));
}

/**
 * A redirect in front of an endpoint (RFC 9110 §15.4.8 307, §15.4.9 308:
 * method and body are kept). Every request is answered with `Location: <to>`
 * plus the request's own query, where `to` is a path on the same origin or an
 * absolute URL on another one; nothing is judged here, so a proof sent to
 * this hop is neither checked nor consumed: only the endpoint it leads to
 * judges proofs (RFC 9449 §4.3).
 */
export function redirector(world: WorldContext, server: ServerRole, endpoint: Endpoint, status: 307 | 308, to: () => string) {
  return traced(world, server, endpoint, async (req) => {
    const q = req.facts.url.indexOf('?');
    const location = q === -1 ? to() : `${to()}${req.facts.url.slice(q)}`;
    return { decision: { kind: 'served' }, response: new Response(null, { status, headers: { location } }) };
  });
}
