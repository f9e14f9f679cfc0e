import { generateKeyPair } from 'jose';
import type { Schedule } from '../schedule/types.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import type { Trace } from '../trace/types.ts';
import { createAuthServer } from './auth-server.ts';
import { emptyUrls, newNonceBooks, type WorldContext } from './context.ts';
import { listen, type Listening } from './listen.ts';
import { createServer } from './mcp-server.ts';
import { McpSessions } from './mcp-sessions.ts';

export interface WorldOptions {
  /** Accepted |iat − now| in seconds (SEP-1932: ±5 minutes). */
  readonly iatWindowSeconds?: number;
  /** Requests across both servers before they stop serving (runaway clients). */
  readonly maxRequests?: number;
  /** Called once when the request cap is reached. */
  readonly onCap?: () => void;
  /** Clock for the servers (tests pin it); defaults to Date.now. */
  readonly now?: () => number;
}

/** A running pair of test servers configured by one schedule. */
export interface World {
  /** The URL to hand to the client under test. */
  readonly mcpUrl: string;
  readonly asOrigin: string;
  trace(): Trace;
  close(): Promise<void>;
}

export const DEFAULT_MAX_REQUESTS = 500;

/**
 * Starts the test authorization server and test MCP server on 127.0.0.1
 * (separate ephemeral ports), both recording into one trace.
 */
export async function startWorld(schedule: Schedule, options: WorldOptions = {}): Promise<World> {
  const recorder = new TraceRecorder(options.maxRequests ?? DEFAULT_MAX_REQUESTS);
  if (options.onCap) recorder.onCap(options.onCap);
  const { privateKey } = await generateKeyPair('ES256');
  const world: WorldContext = {
    schedule,
    recorder,
    now: options.now ?? Date.now,
    iatWindowSeconds: options.iatWindowSeconds ?? 300,
    ...newNonceBooks(schedule),
    tokenSigningKey: privateKey,
    urls: emptyUrls(),
  };
  const sessions = new McpSessions();
  const servers: Listening[] = [];
  try {
    servers.push(await listen(createAuthServer(world), (reason) => recorder.refuse('as', world.now(), reason)));
    servers.push(await listen(createServer(world, sessions), (reason) => recorder.refuse('mcp', world.now(), reason)));
  } catch (err) {
    await Promise.allSettled(servers.map((s) => s.close()));
    throw err;
  }
  const [as, mcp] = servers as [Listening, Listening];
  const urls = world.urls;
  urls.asOrigin = as.origin;
  urls.mcpOrigin = mcp.origin;
  urls.tokenEndpoint = `${as.origin}${schedule.as.tokenPath}`;
  urls.mcpResource = `${mcp.origin}${schedule.mcp.path}`;
  urls.mcpUrl = schedule.mcp.query === null ? urls.mcpResource : `${urls.mcpResource}?${schedule.mcp.query}`;
  recorder.setEndpoints({ asOrigin: as.origin, mcpOrigin: mcp.origin, tokenEndpoint: urls.tokenEndpoint, mcpUrl: urls.mcpUrl });
  let closed = false;
  return {
    mcpUrl: urls.mcpUrl,
    asOrigin: urls.asOrigin,
    trace: () => recorder.snapshot(),
    close: async () => {
      if (closed) return;
      closed = true;
      await sessions.close();
      await Promise.allSettled(servers.map((s) => s.close()));
    },
  };
}
