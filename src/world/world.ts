import { Hono } from 'hono';
import { generateKeyPair } from 'jose';
import type { Schedule } from '../schedule/types.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import type { Trace } from '../trace/types.ts';
import { createAuthServer } from './auth-server.ts';
import { emptyUrls, newNonceBooks, type WorldContext } from './context.ts';
import { inMemoryFetch } from './in-memory-fetch.ts';
import { listen, type Listening } from './listen.ts';
import { traceClock } from './clock.ts';
import { needsElsewhere } from '../schedule/served-paths.ts';
import { createServer } from './mcp-server.ts';
import { McpSessions } from './mcp-sessions.ts';
import { refusedOnSharedOrigin } from './refused.ts';
import { ResponseDelays } from './response-delays.ts';
import { notFound } from './traced-handler.ts';

export interface WorldOptions {
  /** Accepted |iat − now| in seconds (SEP-1932: ±5 minutes). */
  readonly iatWindowSeconds?: number;
  /** Requests across both servers before they stop serving (runaway clients). */
  readonly maxRequests?: number;
  /** Called once when the request cap is reached. */
  readonly onCap?: () => void;
  /**
   * Awaited before each response is sent (after its scheduled delay); an
   * in-process run passes fast-check's scheduler here to order the answers to
   * concurrent requests.
   */
  readonly releaseGate?: (label: string) => Promise<void>;
  /** Clock for the servers (tests pin it); defaults to `traceClock` (epoch ms, sub-millisecond resolution). */
  readonly now?: () => number;
}

/** A running pair of test servers configured by one schedule. */
export interface World {
  /** The URL to hand to the client under test. */
  readonly mcpUrl: string;
  readonly asOrigin: string;
  /** Reaches both servers without sockets (same handlers, same trace); for in-process clients. */
  readonly fetch: typeof fetch;
  trace(): Trace;
  close(): Promise<void>;
}

export const DEFAULT_MAX_REQUESTS = 500;

/**
 * One listener for both servers (topology `same-origin`), routed by path:
 * the authorization server's paths go to it, everything else to the MCP
 * server, whose 404 also answers unknown paths. Each route keeps its own
 * server role in the trace.
 */
function sameOriginApp(world: WorldContext, sessions: McpSessions): Hono {
  const app = new Hono();
  app.route('/', createAuthServer(world));
  app.route('/', createServer(world, sessions));
  app.notFound(notFound(world, 'mcp'));
  return app;
}

/** The origin cross-origin redirects point to: every request is recorded and answered 404. */
function elsewhereApp(world: WorldContext): Hono {
  const app = new Hono();
  app.notFound(notFound(world, 'elsewhere'));
  return app;
}

let signingKey: Promise<CryptoKey> | undefined;

/**
 * The key that signs JWT access tokens, one per process. Nothing verifies
 * these signatures (the AS publishes no JWKS, and the MCP server knows a token
 * by the world's own record of it), so a token of another world is still
 * unknown here; a fresh key per world would only cost a key generation per run.
 */
function tokenSigningKey(): Promise<CryptoKey> {
  signingKey ??= generateKeyPair('ES256').then((pair) => pair.privateKey);
  return signingKey;
}

/**
 * Starts the test authorization server and test MCP server on 127.0.0.1,
 * both recording into one trace: on two ephemeral ports, or with topology
 * `same-origin` on one port (one origin, RFC 6454).
 */
export async function startWorld(schedule: Schedule, options: WorldOptions = {}): Promise<World> {
  const recorder = new TraceRecorder(options.maxRequests ?? DEFAULT_MAX_REQUESTS);
  if (options.onCap) recorder.onCap(options.onCap);
  const privateKey = await tokenSigningKey();
  const world: WorldContext = {
    schedule,
    recorder,
    now: options.now ?? traceClock,
    iatWindowSeconds: options.iatWindowSeconds ?? 300,
    ...newNonceBooks(schedule),
    tokenSigningKey: privateKey,
    delays: new ResponseDelays(schedule.responseDelays, options.releaseGate),
    urls: emptyUrls(),
    revokedFamilies: new Set(),
  };
  const sessions = new McpSessions();
  const servers: Listening[] = [];
  let elsewhere: Listening | undefined;
  try {
    if (schedule.topology === 'same-origin') {
      servers.push(
        await listen(sameOriginApp(world, sessions), (reason, path) => {
          const refused = refusedOnSharedOrigin(schedule, reason, path);
          recorder.refuse(refused.server, world.now(), refused.reason);
        }),
      );
    } else {
      servers.push(await listen(createAuthServer(world), (reason) => recorder.refuse('as', world.now(), reason)));
      servers.push(await listen(createServer(world, sessions), (reason) => recorder.refuse('mcp', world.now(), reason)));
    }
    // A cross-origin redirect points at a third origin, which serves nothing and records what arrives.
    if (needsElsewhere(schedule)) {
      elsewhere = await listen(elsewhereApp(world), (reason) => recorder.refuse('elsewhere', world.now(), reason));
    }
  } catch (err) {
    await Promise.allSettled([...servers, ...(elsewhere ? [elsewhere] : [])].map((s) => s.close()));
    throw err;
  }
  const as = servers[0]!;
  const mcp = servers[1] ?? as;
  const urls = world.urls;
  urls.asOrigin = as.origin;
  urls.mcpOrigin = mcp.origin;
  urls.elsewhereOrigin = elsewhere?.origin ?? '';
  // RFC 8414 §2: the advertised token endpoint may carry a query (never part of htu, RFC 9449 §4.2).
  urls.tokenEndpoint = `${as.origin}${schedule.as.tokenPath}${schedule.as.tokenQuery === null ? '' : `?${schedule.as.tokenQuery}`}`;
  urls.mcpResource = `${mcp.origin}${schedule.mcp.path}`;
  urls.mcpUrl = schedule.mcp.query === null ? urls.mcpResource : `${urls.mcpResource}?${schedule.mcp.query}`;
  recorder.setEndpoints({ asOrigin: as.origin, mcpOrigin: mcp.origin, elsewhereOrigin: elsewhere?.origin ?? null, tokenEndpoint: urls.tokenEndpoint, mcpUrl: urls.mcpUrl });
  const listeners = [...servers, ...(elsewhere ? [elsewhere] : [])];
  let closed = false;
  return {
    mcpUrl: urls.mcpUrl,
    asOrigin: urls.asOrigin,
    fetch: inMemoryFetch(new Map(listeners.map((s) => [s.origin, s.app]))),
    trace: () => recorder.snapshot(),
    close: async () => {
      if (closed) return;
      closed = true;
      // A held-back response must not keep a closed world alive.
      world.delays.close();
      await sessions.close();
      await Promise.allSettled(listeners.map((s) => s.close()));
    },
  };
}
