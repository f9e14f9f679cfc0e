import type { Schedule } from '../../schedule/types.ts';
import type { ClientOutcome, Trace, TraceEntry } from '../../trace/types.ts';
import { describe, isDpopTokenType, pathOf, presentedToken, previousAttempts } from './trace-queries.ts';

/** Did the client end in failure (non-zero exit, signal or timeout)? */
export function clientFailed(outcome: ClientOutcome): boolean {
  return outcome.timedOut || outcome.signal !== null || outcome.exitCode !== 0;
}

/** Whether a response is one a conformant client simply proceeds from. */
function unremarkable(entry: TraceEntry, prev: ReadonlyMap<number, TraceEntry>): boolean {
  if (entry.status === 0) return true; // still open when the run ended (an SSE stream)
  if (entry.status < 300) return true;
  if (entry.endpoint === 'authorize' && entry.status === 302) return true;
  // RFC 6750 §3: the 401 that starts the OAuth flow.
  if (entry.decision.kind === 'unauthenticated') return true;
  // Discovery probes a client may try before the right URL (RFC 8414 §3, RFC 9728 §3).
  if (entry.status === 404 && entry.method === 'GET' && entry.server !== 'elsewhere' && entry.endpoint === 'other') return true;
  // RFC 9449 §8/§9: one nonce challenge is self-correcting; a second one to the retry is not.
  if (entry.error === 'use_dpop_nonce') return prev.get(entry.seq)?.error !== 'use_dpop_nonce';
  return false;
}

/**
 * Why a conformant client may legitimately stop in this world, or null when
 * every answer it got was one a conformant client proceeds from. Everything
 * RFC 9449 / SEP-1932 leave to the client counts: refusing a token that is
 * not DPoP-bound (RFC 9449 §5) or of an unknown type (RFC 6749 §7.1),
 * supporting only some algorithms (§5.1; ES256 is the one every client is
 * expected to have), not following redirects, giving up after one nonce
 * retry (§8: retries are bounded), after `invalid_token` (RFC 6750 §3.1
 * MAY), after a transient error, or after any error the servers answered.
 */
export function legitimateStop(trace: Trace, schedule: Schedule): string | null {
  if (trace.capped) return 'the servers stopped serving at the request cap';
  const refused = trace.refused[0];
  if (refused) return `a request was refused before it reached the servers (${refused.reason})`;
  if (!isDpopTokenType(schedule.as.tokenType)) return `the authorization server issued token_type ${JSON.stringify(schedule.as.tokenType)}, which a client may refuse (RFC 9449 §5, RFC 6749 §7.1)`;
  if (schedule.as.algs !== null && !schedule.as.algs.includes('ES256')) return `the advertised algorithms [${schedule.as.algs.join(', ')}] do not include ES256 (a client may support only some, RFC 9449 §5.1)`;
  if (schedule.mcp.challenge === 'Bearer') return 'the MCP server offered no DPoP challenge';
  const prev = previousAttempts(trace);
  const answer = trace.entries.find((e) => !unremarkable(e, prev));
  if (answer) {
    const what = answer.error ?? (answer.status === 307 || answer.status === 308 ? 'a redirect' : 'an error');
    return `${describe(answer)} was answered ${answer.status} (${what})`;
  }
  return null;
}

/** Requests a conformant client must retry after a nonce challenge: token requests and MCP POSTs. */
function mustRetry(entry: TraceEntry): boolean {
  return entry.endpoint === 'token' || (entry.endpoint === 'mcp' && entry.method === 'POST');
}

/** The client's own last error line, for the finding (what it thought went wrong). */
function lastWords(outcome: ClientOutcome): string {
  const lines = `${outcome.stdout}\n${outcome.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = [...lines].reverse().find((l) => /error/i.test(l)) ?? lines.at(-1);
  return line === undefined ? '' : `; the client said: ${JSON.stringify(line.length > 200 ? `${line.slice(0, 199)}…` : line)}`;
}

/**
 * Where a client that failed without a legitimate reason stopped, named by
 * cause: the nonce challenge it did not follow (RFC 9449 §8, §9), the token
 * it did not use (RFC 6749 §5.1), the token request it never made, or else
 * the last exchange before it stopped.
 */
export function causeOfStop(trace: Trace, outcome: ClientOutcome): { readonly message: string; readonly evidence: number[] } {
  const ended = outcome.timedOut ? 'hung until the timeout' : `exited with ${outcome.exitCode ?? outcome.signal}`;
  const said = lastWords(outcome);
  const unretried = trace.entries.find(
    (c) => c.error === 'use_dpop_nonce' && c.proof !== null && mustRetry(c) && !trace.entries.some((e) => e.seq > c.seq && e.retryKey === c.retryKey),
  );
  if (unretried) {
    const server = unretried.server === 'as' ? 'authorization server (RFC 9449 §8)' : 'MCP server (RFC 9449 §9)';
    return {
      message: `it gave up on the use_dpop_nonce challenge ${describe(unretried)} from the ${server} instead of retrying with the supplied nonce, and ${ended}${said}`,
      evidence: [unretried.seq],
    };
  }
  const unused = trace.tokens.find((t) => isDpopTokenType(t.tokenType) && !trace.entries.some((e) => e.endpoint === 'mcp' && presentedToken(trace, e)?.id === t.id));
  if (unused) {
    const spelling = unused.tokenType === 'DPoP' ? '' : ` (token_type ${JSON.stringify(unused.tokenType)}: token_type is case-insensitive, RFC 6749 §5.1)`;
    return { message: `it received the DPoP-bound token of #${unused.seq}${spelling} and never presented it, and ${ended}${said}`, evidence: [unused.seq] };
  }
  const last = trace.entries.at(-1);
  if (last === undefined) return { message: `it ${ended}${said}`, evidence: [] };
  const before = trace.tokens.length === 0 ? ' without ever requesting a token' : '';
  return { message: `it stopped after ${stageOf(last)} (${describe(last)}, answered ${last.status})${before} and ${ended}${said}`, evidence: [last.seq] };
}

/** Where in the flow an exchange is, in words (RFC 9728, RFC 8414, RFC 7591, RFC 6749). */
function stageOf(entry: TraceEntry): string {
  if (entry.decision.kind === 'unauthenticated') return "the MCP server's first 401 challenge";
  switch (entry.endpoint) {
    case 'prm':
      return 'reading the protected resource metadata';
    case 'as-metadata':
      return 'reading the authorization server metadata';
    case 'register':
      return 'registering';
    case 'authorize':
      return 'the authorization response';
    case 'token':
      return 'the token response';
    case 'mcp':
      return 'an MCP exchange';
    case 'other':
      return entry.server === 'elsewhere' ? 'a request to another origin' : `a request to ${pathOf(entry.url)}`;
  }
}
