import type { Schedule } from '../schedule/types.ts';
import type { ServerRole } from '../trace/types.ts';
import { authServerPaths } from '../schedule/served-paths.ts';

/**
 * Which server a request refused by the HTTP layer was meant for when both
 * share one origin: known only when its request line could still be read
 * (then by route, like any request). Otherwise it is booked to the MCP server,
 * whose URL the client was given, and the reason says that the target is
 * unknown.
 */
export function refusedOnSharedOrigin(schedule: Schedule, reason: string, path: string | null): { server: ServerRole; reason: string } {
  if (path === null) return { server: 'mcp', reason: `${reason} (shared origin; request line unreadable, so the target server is unknown)` };
  return { server: authServerPaths(schedule).some((p) => p.path === path) ? 'as' : 'mcp', reason };
}
