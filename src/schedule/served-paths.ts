/**
 * The paths the test servers serve under a schedule, a property of the
 * schedule alone: the world routes them, validation refuses schedules whose
 * paths collide.
 */
import type { Redirect, Schedule } from './types.ts';

/** RFC 8414 §3: metadata of an issuer without a path. */
export const AS_METADATA_PATH = '/.well-known/oauth-authorization-server';

/** RFC 9728 §3: the well-known suffix of protected resource metadata. */
export const PRM_ROOT_PATH = '/.well-known/oauth-protected-resource';

/** RFC 7591 registration and RFC 6749 §3.1 authorization endpoints of the test AS. */
export const REGISTER_PATH = '/register';
export const AUTHORIZE_PATH = '/authorize';

/** RFC 9728 §3.1: metadata URL path for a resource with a path. */
export function resourceMetadataPath(mcpPath: string): string {
  return `${PRM_ROOT_PATH}${mcpPath === '/' ? '' : mcpPath}`;
}

/**
 * Where a redirecting endpoint sends its clients: `${path}/moved`, without a
 * doubled slash, so `/` gives `/moved` and never `//moved` (which a client
 * would read as a network-path reference to another host, RFC 3986 §4.2).
 */
export function movedPath(path: string): string {
  return `${path.replace(/\/$/, '')}/moved`;
}

/** The status a redirect answers with, or null for none. */
export function redirectStatus(redirect: Redirect): 307 | 308 | null {
  return redirect === null ? null : typeof redirect === 'number' ? redirect : redirect.status;
}

/** A redirect whose target is another origin (the world's third listener). */
export function isCrossOrigin(redirect: Redirect): boolean {
  return redirect !== null && typeof redirect === 'object';
}

/** Whether the schedule sends clients to another origin: the world then starts a third listener there. */
export function needsElsewhere(schedule: Schedule): boolean {
  const m = schedule.mcp;
  return isCrossOrigin(schedule.as.tokenRedirect) || isCrossOrigin(m.redirect) || [...m.post, ...m.get, ...m.delete].some((a) => a.kind === 'redirect-elsewhere');
}

/** Same-origin redirects: the redirected endpoint is served at `<path>/moved` on the same listener. */
function servesMoved(redirect: Redirect): boolean {
  return redirect !== null && !isCrossOrigin(redirect);
}

/** One path a test server serves, and what it is (for error messages). */
export interface ServedPath {
  readonly path: string;
  readonly what: string;
}

/** Paths the test authorization server serves under this schedule. */
export function authServerPaths(schedule: Schedule): ServedPath[] {
  const as = schedule.as;
  const list: ServedPath[] = [
    { path: AS_METADATA_PATH, what: 'the authorization server metadata' },
    { path: REGISTER_PATH, what: 'the registration endpoint' },
    { path: AUTHORIZE_PATH, what: 'the authorization endpoint' },
    { path: as.tokenPath, what: 'as.tokenPath' },
  ];
  if (servesMoved(as.tokenRedirect)) list.push({ path: movedPath(as.tokenPath), what: 'the redirected token endpoint (as.tokenPath + /moved)' });
  return list;
}

/** Paths the test MCP server serves under this schedule. */
export function mcpServerPaths(schedule: Schedule): ServedPath[] {
  const mcp = schedule.mcp;
  const list: ServedPath[] = [
    { path: mcp.path, what: 'mcp.path' },
    { path: resourceMetadataPath(mcp.path), what: 'the protected resource metadata' },
  ];
  if (mcp.path !== '/') list.push({ path: PRM_ROOT_PATH, what: 'the root protected resource metadata' });
  if (servesMoved(mcp.redirect)) {
    list.push({ path: movedPath(mcp.path), what: 'the redirected MCP endpoint (mcp.path + /moved)' });
    list.push({ path: resourceMetadataPath(movedPath(mcp.path)), what: 'the protected resource metadata of the redirected MCP endpoint' });
  }
  return list;
}

/**
 * Pairs of paths that one listener would serve twice: within each server,
 * and across both when they share an origin.
 */
export function pathCollisions(schedule: Schedule): [ServedPath, ServedPath][] {
  const groups = schedule.topology === 'same-origin' ? [[...authServerPaths(schedule), ...mcpServerPaths(schedule)]] : [authServerPaths(schedule), mcpServerPaths(schedule)];
  const clashes: [ServedPath, ServedPath][] = [];
  for (const group of groups) {
    group.forEach((a, i) => {
      for (const b of group.slice(i + 1)) if (a.path === b.path) clashes.push([a, b]);
    });
  }
  return clashes;
}
