import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { inspectProof } from '../dpop/proof.ts';
import type { TraceRecorder, RequestFacts } from '../trace/recorder.ts';
import type { AuthorizationObservation, Endpoint, RpcMessage, ServerRole } from '../trace/types.ts';

/** Longest Authorization header value the servers will look at. */
export const MAX_AUTHORIZATION_LENGTH = 16_384;

/** Longest request body the servers will read. */
export const MAX_BODY_BYTES = 1_048_576;

export interface ReadRequest {
  readonly facts: RequestFacts;
  /** The body as text ('' when there is none or it is too large). */
  readonly body: string;
  readonly bodyTooLarge: boolean;
}

/**
 * All field values of one request header, each field separately. Node joins
 * repeated fields with ", " in `headers`, so read `rawHeaders` to count them
 * (RFC 9449 §4.3 check 1: exactly one DPoP header).
 */
export function headerValues(incoming: IncomingMessage | undefined, fallback: Headers, name: string): string[] {
  if (!incoming) {
    const joined = fallback.get(name);
    return joined === null ? [] : [joined];
  }
  const values: string[] = [];
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === name) values.push(raw[i + 1]!);
  }
  return values;
}

/** RFC 9110 §11.4: `credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`. */
export function observeAuthorization(values: readonly string[], tokenIdOf: (token: string) => string | null): AuthorizationObservation {
  if (values.length === 0) return { kind: 'none' };
  const raw = values.join(', ');
  if (values.length > 1 || raw.length > MAX_AUTHORIZATION_LENGTH) {
    return { kind: 'malformed', raw: raw.slice(0, 200) };
  }
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) +(\S+)$/.exec(raw);
  if (!match) return { kind: 'malformed', raw: raw.slice(0, 200) };
  const token = match[2]!;
  return { kind: 'credentials', scheme: match[1]!, token, tokenId: tokenIdOf(token) };
}

function parseRpc(body: string): RpcMessage[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.flatMap((m): RpcMessage[] => {
    if (typeof m !== 'object' || m === null) return [];
    const rec = m as Record<string, unknown>;
    const id = typeof rec.id === 'string' || typeof rec.id === 'number' ? rec.id : null;
    return [{ method: typeof rec.method === 'string' ? rec.method : null, id }];
  });
}

function parseGrant(body: string): RequestFacts['grant'] {
  const form = new URLSearchParams(body);
  const type = form.get('grant_type');
  if (type === null) return null;
  return { type, code: form.get('code'), refreshToken: form.get('refresh_token') };
}

async function readBody(request: Request, incoming: IncomingMessage | undefined): Promise<{ text: string; tooLarge: boolean }> {
  if (request.method === 'GET' || request.method === 'HEAD') return { text: '', tooLarge: false };
  const declared = Number((incoming ? incoming.headers['content-length'] : request.headers.get('content-length')) ?? '0');
  if (declared > MAX_BODY_BYTES) return { text: '', tooLarge: true };
  // Over a socket, read the Node stream itself: a web stream on top of it costs more than the rest of the request.
  const body = incoming ?? request.body;
  if (body === null) return { text: '', tooLarge: false };
  // Read chunk by chunk: a chunked body without Content-Length must not be buffered without bound.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) return { text: '', tooLarge: true };
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: false };
}

/**
 * Reads everything the trace keeps about a request. Never throws on hostile
 * input: problems are recorded for the judges.
 */
export async function readRequest(
  c: Context,
  server: ServerRole,
  endpoint: Endpoint,
  recorder: TraceRecorder,
  now: number,
): Promise<ReadRequest> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const request = c.req.raw;
  const rawUrl = incoming?.url ?? new URL(request.url).pathname + new URL(request.url).search;
  const host = request.headers.get('host') ?? new URL(request.url).host;
  const path = rawUrl.split('?')[0] ?? '/';
  const { text, tooLarge } = await readBody(request, incoming);
  const sessionId = request.headers.get('mcp-session-id');
  const proof = await inspectProof(headerValues(incoming, request.headers, 'dpop'));
  const authorization = observeAuthorization(headerValues(incoming, request.headers, 'authorization'), (t) => recorder.findToken(t)?.id ?? null);
  const bodyHash = createHash('sha256').update(text).digest('base64url');
  const facts: RequestFacts = {
    server,
    endpoint,
    receivedAt: now,
    method: request.method,
    url: `http://${host}${rawUrl}`,
    // RFC 9449 §4.2: htu is the target URI without query and fragment; the
    // authority is the Host header the client sent.
    htuTarget: `http://${host}${path}`,
    proof,
    authorization,
    sessionId,
    rpc: endpoint === 'mcp' && request.method === 'POST' ? parseRpc(text) : [],
    grant: endpoint === 'token' ? parseGrant(text) : null,
    retryKey: `${server} ${request.method} ${path} ${sessionId ?? '-'} ${bodyHash}`,
  };
  return { facts, body: text, bodyTooLarge: tooLarge };
}
