import type { TraceEntry } from '../trace/types.ts';
import { describe, pathOf, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** What of the client's credentials a request carried where they do not belong, or null. */
function leak(entry: TraceEntry): string | null {
  const auth = entry.authorization;
  if (entry.server === 'elsewhere') {
    // A cross-origin redirect's target: no Authorization, no proof (and so no nonce).
    const carried = [auth.kind !== 'none' ? 'its Authorization header' : null, entry.proof !== null ? 'a DPoP proof' : null].filter((x) => x !== null);
    return carried.length > 0 ? `${carried.join(' and ')} to another origin` : null;
  }
  // The access token is for the protected resource only (RFC 6750 §5.3).
  if (entry.endpoint !== 'mcp' && auth.kind === 'credentials' && auth.tokenId !== null) return `the access token to the ${entry.endpoint === 'other' ? `${entry.server} server's ${pathOf(entry.url)}` : `${entry.endpoint} endpoint`}`;
  return null;
}

/**
 * RFC 6750 §5.3 (tokens must not leak to unintended parties), RFC 9449 §7
 * (a token and its proofs are for the resource server): nothing of the
 * client's credentials follows a redirect to another origin, and the access
 * token goes to the MCP endpoint only.
 */
export const noCrossOriginCredentials: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-no-cross-origin-credentials';
  const leaks = trace.entries.flatMap((e) => {
    const what = leak(e);
    return what === null ? [] : [{ e, what }];
  });
  const first = leaks[0];
  if (first) return verdict(id, 'FAILURE', `${describe(first.e)} carried ${first.what}${leaks.length > 1 ? ` (and ${leaks.length - 1} more)` : ''}.`, leaks.map((l) => l.e.seq));
  const elsewhere = trace.entries.filter((e) => e.server === 'elsewhere').length;
  const tokens = trace.entries.filter((e) => e.authorization.kind === 'credentials').length;
  if (tokens === 0 && elsewhere === 0) return verdict(id, 'SKIPPED', 'The client presented no credentials and followed no redirect to another origin.');
  return verdict(id, 'SUCCESS', `Credentials went only to the MCP endpoint${elsewhere > 0 ? `; ${elsewhere} request(s) to another origin carried none` : ''}.`);
};
