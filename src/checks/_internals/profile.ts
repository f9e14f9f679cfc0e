import type { Trace, TraceEntry } from '../../trace/types.ts';
import type { JudgeOptions } from '../types.ts';
import { mcpRequests, schemeOf } from './trace-queries.ts';

/**
 * A `WWW-Authenticate` value that offers no DPoP challenge (RFC 9110 §11.6.1:
 * schemes are case-insensitive). A quoted parameter value is text, not a
 * scheme (RFC 9110 §5.6.4): `error_description="use DPoP"` offers nothing.
 */
export function offersNoDpop(challenge: string | undefined): boolean {
  return challenge !== undefined && !/(^|[\s,])dpop(\s|$|,)/i.test(challenge.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}

/** Did the MCP server answer with a challenge that offered no DPoP scheme before this request? */
export function followsBearerOnlyChallenge(trace: Trace, entry: TraceEntry): boolean {
  return mcpRequests(trace).some((e) => e.status === 401 && e.respondedAt <= entry.receivedAt && offersNoDpop(e.responseHeaders['www-authenticate']));
}

/**
 * Where RFC 9449 and MCP's DPoP profile differ, the profile decides (one
 * place for every check): RFC 9449 §7.2 lets a client send a DPoP-bound token
 * with `Bearer` (and then without a proof) after a Bearer-only challenge;
 * SEP-1932 requires the `DPoP` scheme without exception. True when `entry`
 * is such a tolerated Bearer presentation under `--profile rfc9449`.
 */
export function bearerTolerated(trace: Trace, entry: TraceEntry, options: JudgeOptions): boolean {
  return options.profile === 'rfc9449' && schemeOf(entry)?.toLowerCase() === 'bearer' && followsBearerOnlyChallenge(trace, entry);
}
