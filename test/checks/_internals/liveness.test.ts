/**
 * The liveness helpers behind sep-1932-client-completes, on synthetic traces:
 * what counts as a failed run, every reason a conformant client may stop (in
 * order of precedence) and every answer it is expected to proceed from, and
 * how the finding names where a failed client stopped — the nonce challenge
 * it did not follow, the token it did not use, or the last exchange — with
 * the client's own last words. The messages are what a maintainer reads, so
 * they are pinned word for word.
 */
import { describe, expect, it } from 'vitest';
import { causeOfStop, clientFailed, legitimateStop } from '../../../src/checks/_internals/liveness.ts';
import { BASE_SCHEDULE } from '../../../src/schedule/defaults.ts';
import type { AuthServerSchedule, McpServerSchedule, Schedule } from '../../../src/schedule/types.ts';
import type { ClientOutcome, Trace } from '../../../src/trace/types.ts';
import { AS, MCP, TraceBuilder, withToken, type Step } from '../trace-builder.ts';

function outcome(o: Partial<ClientOutcome> = {}): ClientOutcome {
  return { exitCode: 1, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1, ...o };
}

function schedule(as: Partial<AuthServerSchedule> = {}, mcp: Partial<McpServerSchedule> = {}): Schedule {
  return { ...BASE_SCHEDULE, as: { ...BASE_SCHEDULE.as, ...as }, mcp: { ...BASE_SCHEDULE.mcp, ...mcp } };
}

/** A trace of the given steps after a token request that issued AT1 (#0). */
function afterToken(...steps: Step[]): Trace {
  const b = new TraceBuilder();
  withToken(b);
  for (const s of steps) b.add(s);
  return b.trace();
}

function traceOf(...steps: Step[]): Trace {
  const b = new TraceBuilder();
  for (const s of steps) b.add(s);
  return b.trace();
}

/** An MCP POST presenting AT1 with a proof, answered `status`. */
function mcpPost(at: number, status: number, extra: Partial<Step> = {}): Step {
  return { at, done: at + 1, token: 'AT1', proof: { jti: `m-${at}` }, status, ...extra };
}

describe('clientFailed', () => {
  it('a client that exited 0 in time without a signal did not fail', () => {
    expect(clientFailed(outcome({ exitCode: 0 }))).toBe(false);
  });

  it('a timeout is a failure even with exit code 0', () => {
    expect(clientFailed(outcome({ exitCode: 0, timedOut: true }))).toBe(true);
  });

  it('a signal is a failure even with exit code 0', () => {
    expect(clientFailed(outcome({ exitCode: 0, signal: 'SIGTERM' }))).toBe(true);
  });

  it('a non-zero exit code is a failure, and so is a missing one', () => {
    expect(clientFailed(outcome({ exitCode: 1 }))).toBe(true);
    expect(clientFailed(outcome({ exitCode: null }))).toBe(true);
  });
});

describe('legitimateStop: what the world did that a conformant client may stop on', () => {
  const clean = afterToken(mcpPost(2, 200));

  it('finds no reason in a world that answered every request successfully', () => {
    expect(legitimateStop(clean, BASE_SCHEDULE)).toBeNull();
  });

  it('a request cap reached is a reason, before every other one', () => {
    const trace: Trace = { ...afterToken(mcpPost(2, 500)), capped: true, refused: [{ at: 1, server: 'mcp', reason: 'too large' }] };
    expect(legitimateStop(trace, schedule({ tokenType: 'Bearer', algs: ['RS256'] }, { challenge: 'Bearer' }))).toBe('the servers stopped serving at the request cap');
  });

  it('a refused request is a reason, named by the first refusal, before the schedule is looked at', () => {
    const trace: Trace = {
      ...clean,
      refused: [
        { at: 1, server: 'mcp', reason: 'request header fields too large' },
        { at: 2, server: 'as', reason: 'second refusal' },
      ],
    };
    expect(legitimateStop(trace, schedule({ tokenType: 'Bearer' }))).toBe('a request was refused before it reached the servers (request header fields too large)');
  });

  it('RFC 9449 §5, RFC 6749 §7.1: a token_type other than DPoP may be refused; DPoP in any case may not', () => {
    expect(legitimateStop(clean, schedule({ tokenType: 'Bearer', algs: ['RS256'] }))).toBe(
      'the authorization server issued token_type "Bearer", which a client may refuse (RFC 9449 §5, RFC 6749 §7.1)',
    );
    expect(legitimateStop(clean, schedule({ tokenType: 'dpop' }))).toBeNull();
    expect(legitimateStop(clean, schedule({ tokenType: 'DPOP' }))).toBeNull();
  });

  it('RFC 9449 §5.1: advertised algorithms without ES256 are a reason, listed as advertised', () => {
    expect(legitimateStop(clean, schedule({ algs: ['RS256', 'PS256'] }, { challenge: 'Bearer' }))).toBe(
      'the advertised algorithms [RS256, PS256] do not include ES256 (a client may support only some, RFC 9449 §5.1)',
    );
    expect(legitimateStop(clean, schedule({ algs: [] }))).toBe('the advertised algorithms [] do not include ES256 (a client may support only some, RFC 9449 §5.1)');
  });

  it('RFC 9449 §5.1: algorithms that include ES256, or none advertised at all, are no reason', () => {
    expect(legitimateStop(clean, schedule({ algs: ['RS256', 'ES256'] }))).toBeNull();
    expect(legitimateStop(clean, schedule({ algs: null }))).toBeNull();
  });

  it('RFC 9449 §7.2: an MCP server offering only a Bearer challenge is a reason, before any answer; one offering DPoP too is not', () => {
    const errored = afterToken(mcpPost(2, 500));
    expect(legitimateStop(errored, schedule({}, { challenge: 'Bearer' }))).toBe('the MCP server offered no DPoP challenge');
    expect(legitimateStop(clean, schedule({}, { challenge: 'DPoP+Bearer' }))).toBeNull();
  });

  describe('the first answer a conformant client need not proceed from', () => {
    it('names the first such answer by its error code, not a later one', () => {
      const trace = afterToken(mcpPost(2, 200), mcpPost(4, 401, { error: 'invalid_token' }), mcpPost(6, 500));
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBe('#2 POST mcp (tools/list) was answered 401 (invalid_token)');
    });

    it('an error without an error code is "an error"', () => {
      expect(legitimateStop(afterToken(mcpPost(2, 500)), BASE_SCHEDULE)).toBe('#1 POST mcp (tools/list) was answered 500 (an error)');
    });

    it('RFC 9110 §15.4.8, §15.4.9: a 307 or 308 is "a redirect"', () => {
      expect(legitimateStop(afterToken(mcpPost(2, 307)), BASE_SCHEDULE)).toBe('#1 POST mcp (tools/list) was answered 307 (a redirect)');
      expect(legitimateStop(afterToken(mcpPost(2, 308)), BASE_SCHEDULE)).toBe('#1 POST mcp (tools/list) was answered 308 (a redirect)');
      expect(legitimateStop(afterToken(mcpPost(2, 306)), BASE_SCHEDULE)).toBe('#1 POST mcp (tools/list) was answered 306 (an error)');
    });

    it('a token error is named like any other (RFC 6749 §5.2)', () => {
      const trace = traceOf({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, status: 400, error: 'invalid_dpop_proof' });
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBe('#0 POST token was answered 400 (invalid_dpop_proof)');
    });
  });

  describe('answers a conformant client proceeds from', () => {
    it('a success up to 299 is unremarkable; 300 is not', () => {
      expect(legitimateStop(afterToken(mcpPost(2, 299)), BASE_SCHEDULE)).toBeNull();
      expect(legitimateStop(afterToken(mcpPost(2, 300)), BASE_SCHEDULE)).toBe('#1 POST mcp (tools/list) was answered 300 (an error)');
    });

    it('a response still open when the run ended (status 0, an SSE stream) is unremarkable, even with an error recorded', () => {
      const trace = afterToken(mcpPost(2, 0, { method: 'GET', error: 'invalid_token' }));
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBeNull();
    });

    it("RFC 6749 §4.1.2: the authorization endpoint's 302 is the flow; a 302 elsewhere or another status there is not", () => {
      const authorize = (status: number): Step => ({ server: 'as', endpoint: 'authorize', method: 'GET', url: `${AS}/authorize`, at: 0, done: 1, status });
      expect(legitimateStop(traceOf(authorize(302)), BASE_SCHEDULE)).toBeNull();
      expect(legitimateStop(traceOf(authorize(303)), BASE_SCHEDULE)).toBe('#0 GET authorize was answered 303 (an error)');
      expect(legitimateStop(traceOf({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, status: 302 }), BASE_SCHEDULE)).toBe('#0 POST token was answered 302 (an error)');
    });

    it('RFC 6750 §3: the 401 to an unauthenticated request starts the flow; a 401 the server decided otherwise does not', () => {
      const first401 = traceOf({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' } });
      expect(legitimateStop(first401, BASE_SCHEDULE)).toBeNull();
      const rejected = traceOf({ at: 0, done: 1, status: 401, decision: { kind: 'rejected', error: 'invalid_token', reason: 'unknown token' } });
      expect(legitimateStop(rejected, BASE_SCHEDULE)).toBe('#0 POST mcp (tools/list) was answered 401 (an error)');
    });

    it('RFC 8414 §3, RFC 9728 §3: a 404 to a GET of some other path on either server is a discovery probe', () => {
      const probe = (extra: Partial<Step>): Step => ({ server: 'mcp', endpoint: 'other', method: 'GET', url: `${MCP}/.well-known/x`, at: 0, done: 1, status: 404, ...extra });
      expect(legitimateStop(traceOf(probe({})), BASE_SCHEDULE)).toBeNull();
      expect(legitimateStop(traceOf(probe({ server: 'as', url: `${AS}/.well-known/x` })), BASE_SCHEDULE)).toBeNull();
    });

    it('a 404 that is no discovery probe is remarkable: not a GET, not 404, on another origin, or to a known endpoint', () => {
      const probe = (extra: Partial<Step>): Step => ({ server: 'mcp', endpoint: 'other', method: 'GET', url: `${MCP}/.well-known/x`, at: 0, done: 1, status: 404, ...extra });
      expect(legitimateStop(traceOf(probe({ method: 'POST' })), BASE_SCHEDULE)).toBe('#0 POST other was answered 404 (an error)');
      expect(legitimateStop(traceOf(probe({ status: 403 })), BASE_SCHEDULE)).toBe('#0 GET other was answered 403 (an error)');
      expect(legitimateStop(traceOf(probe({ server: 'elsewhere', url: 'http://127.0.0.1:4000/x' })), BASE_SCHEDULE)).toBe('#0 GET other was answered 404 (an error)');
      expect(legitimateStop(traceOf(probe({ endpoint: 'prm' })), BASE_SCHEDULE)).toBe('#0 GET prm was answered 404 (an error)');
    });

    it('RFC 9449 §8, §9: a first use_dpop_nonce challenge is self-correcting', () => {
      const trace = afterToken(mcpPost(2, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'k' }));
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBeNull();
    });

    it('RFC 9449 §8, §9: a challenge to the retry of a request that was itself challenged is a reason (retries are bounded)', () => {
      const trace = afterToken(
        mcpPost(2, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'k' }),
        mcpPost(4, 401, { error: 'use_dpop_nonce', nonce: 'N2', key: 'k', proof: { jti: 'm-4', nonce: 'N1' } }),
      );
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBe('#2 POST mcp (tools/list) was answered 401 (use_dpop_nonce)');
    });

    it('RFC 9449 §8, §9: a challenge to a repeat of a request that was answered otherwise is a first challenge', () => {
      const trace = afterToken(mcpPost(2, 200, { key: 'k' }), mcpPost(4, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'k' }));
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBeNull();
    });

    it('RFC 9449 §8, §9: a challenge to a twin sent before the first challenge was answered is a first challenge too', () => {
      const trace = afterToken(
        { at: 2, done: 10, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'k' },
        { at: 5, done: 11, token: 'AT1', proof: { jti: 'b' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'k' },
      );
      expect(legitimateStop(trace, BASE_SCHEDULE)).toBeNull();
    });
  });
});

describe('causeOfStop: where a failed client stopped', () => {
  describe('how it ended', () => {
    it('a timeout is "hung until the timeout", whatever the exit code', () => {
      expect(causeOfStop(traceOf(), outcome({ timedOut: true, exitCode: 1 }))).toEqual({ message: 'it hung until the timeout', evidence: [] });
    });

    it('an exit names its code; a kill names the signal', () => {
      expect(causeOfStop(traceOf(), outcome({ exitCode: 3, signal: 'SIGKILL' }))).toEqual({ message: 'it exited with 3', evidence: [] });
      expect(causeOfStop(traceOf(), outcome({ exitCode: null, signal: 'SIGKILL' }))).toEqual({ message: 'it exited with SIGKILL', evidence: [] });
    });
  });

  describe("the client's last words", () => {
    const said = (o: Partial<ClientOutcome>): string => causeOfStop(traceOf(), outcome(o)).message;

    it('says nothing when the client printed nothing but blank lines', () => {
      expect(said({ stdout: '', stderr: '' })).toBe('it exited with 1');
      expect(said({ stdout: '  \n\n', stderr: ' \t \n' })).toBe('it exited with 1');
    });

    it('quotes the last line, stderr after stdout, trimmed, skipping blank lines', () => {
      expect(said({ stdout: 'from stdout', stderr: '  from stderr  \n   \n' })).toBe('it exited with 1; the client said: "from stderr"');
      expect(said({ stdout: 'one\ntwo\nthree', stderr: '' })).toBe('it exited with 1; the client said: "three"');
    });

    it('prefers the last line that mentions an error, in any case, over later lines', () => {
      expect(said({ stdout: 'Error: first\nan error second\ndone', stderr: 'bye' })).toBe('it exited with 1; the client said: "an error second"');
      expect(said({ stdout: 'starting', stderr: 'FATAL ERROR: boom\nexiting\nbye' })).toBe('it exited with 1; the client said: "FATAL ERROR: boom"');
    });

    it('quotes the line as a JSON string', () => {
      expect(said({ stderr: 'error "quoted" \\ here' })).toBe('it exited with 1; the client said: "error \\"quoted\\" \\\\ here"');
    });

    it('keeps a line of 200 characters whole and cuts a longer one to 199 and an ellipsis', () => {
      const l200 = `error ${'x'.repeat(194)}`;
      const l201 = `error ${'y'.repeat(195)}`;
      expect(l200.length).toBe(200);
      expect(said({ stderr: l200 })).toBe(`it exited with 1; the client said: "${l200}"`);
      expect(said({ stderr: l201 })).toBe(`it exited with 1; the client said: "${l201.slice(0, 199)}…"`);
    });
  });

  describe('RFC 9449 §8, §9: a nonce challenge it did not retry', () => {
    it('names an unretried challenge to a token request as the authorization server\'s (§8), with its last words', () => {
      const trace = traceOf({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, status: 400, error: 'use_dpop_nonce', nonce: 'A1' });
      expect(causeOfStop(trace, outcome({ stderr: 'error: nonce' }))).toEqual({
        message:
          'it gave up on the use_dpop_nonce challenge #0 POST token from the authorization server (RFC 9449 §8) instead of retrying with the supplied nonce, and exited with 1; the client said: "error: nonce"',
        evidence: [0],
      });
    });

    it("names an unretried challenge to an MCP POST as the MCP server's (§9), before an unused token", () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add(mcpPost(2, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'k' }));
      expect(causeOfStop(b.trace(), outcome({ timedOut: true }))).toEqual({
        message:
          'it gave up on the use_dpop_nonce challenge #1 POST mcp (tools/list) from the MCP server (RFC 9449 §9) instead of retrying with the supplied nonce, and hung until the timeout',
        evidence: [1],
      });
    });

    it('names the first of several unretried challenges', () => {
      const trace = afterToken(mcpPost(2, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'a' }), mcpPost(4, 401, { error: 'use_dpop_nonce', nonce: 'N2', key: 'b' }));
      expect(causeOfStop(trace, outcome()).evidence).toEqual([1]);
    });

    it('a challenge followed by a request with the same retry key was retried, even if an earlier request had that key too', () => {
      const trace = afterToken(
        mcpPost(2, 200, { key: 'k' }),
        mcpPost(4, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'k' }),
        mcpPost(6, 500, { key: 'k', proof: { jti: 'm-6', nonce: 'N1' } }),
      );
      expect(causeOfStop(trace, outcome())).toEqual({ message: 'it stopped after an MCP exchange (#3 POST mcp (tools/list), answered 500) and exited with 1', evidence: [3] });
    });

    it('a challenge followed only by requests with another retry key was not retried, even if an earlier one had its key', () => {
      const trace = afterToken(
        mcpPost(2, 200, { key: 'k' }),
        mcpPost(4, 401, { error: 'use_dpop_nonce', nonce: 'N1', key: 'k' }),
        mcpPost(6, 200, { key: 'other', proof: { jti: 'm-6', nonce: 'N1' } }),
      );
      expect(causeOfStop(trace, outcome()).evidence).toEqual([2]);
    });

    it('a challenge to a request without a proof is not one the client had to follow', () => {
      const trace = traceOf({ server: 'as', at: 0, done: 1, proof: null, status: 400, error: 'use_dpop_nonce', nonce: 'A1' });
      expect(causeOfStop(trace, outcome())).toEqual({
        message: 'it stopped after the token response (#0 POST token, answered 400) without ever requesting a token and exited with 1',
        evidence: [0],
      });
    });

    it('only token requests and MCP POSTs must be retried: not an MCP GET, nor a POST elsewhere', () => {
      const get = afterToken(mcpPost(2, 401, { method: 'GET', error: 'use_dpop_nonce', nonce: 'N1' }));
      expect(causeOfStop(get, outcome())).toEqual({ message: 'it stopped after an MCP exchange (#1 GET mcp, answered 401) and exited with 1', evidence: [1] });
      const other = traceOf({ endpoint: 'other', url: `${MCP}/hook`, at: 0, done: 1, proof: { jti: 'o' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1' });
      expect(causeOfStop(other, outcome())).toEqual({
        message: 'it stopped after a request to /hook (#0 POST other, answered 401) without ever requesting a token and exited with 1',
        evidence: [0],
      });
    });

    it('a last token request that was no challenge is named as the last exchange, not a challenge', () => {
      const trace = traceOf({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, status: 400, error: 'invalid_grant' });
      expect(causeOfStop(trace, outcome())).toEqual({
        message: 'it stopped after the token response (#0 POST token, answered 400) without ever requesting a token and exited with 1',
        evidence: [0],
      });
    });
  });

  describe('RFC 6749 §5.1: a DPoP-bound token it never presented', () => {
    it('names the token response, with no remark when token_type is spelled DPoP', () => {
      const b = new TraceBuilder();
      withToken(b);
      expect(causeOfStop(b.trace(), outcome({ stdout: 'got a token' }))).toEqual({
        message: 'it received the DPoP-bound token of #0 and never presented it, and exited with 1; the client said: "got a token"',
        evidence: [0],
      });
    });

    it('remarks on another spelling of DPoP (token_type is case-insensitive)', () => {
      const b = new TraceBuilder('dpop');
      withToken(b);
      expect(causeOfStop(b.trace(), outcome())).toEqual({
        message: 'it received the DPoP-bound token of #0 (token_type "dpop": token_type is case-insensitive, RFC 6749 §5.1) and never presented it, and exited with 1',
        evidence: [0],
      });
    });

    it('a token presented only outside the MCP endpoint, next to MCP requests without it, was never presented', () => {
      const b = new TraceBuilder();
      withToken(b);
      b.add({ at: 2, done: 3, status: 401, decision: { kind: 'unauthenticated' } });
      b.add({ endpoint: 'other', method: 'GET', url: `${MCP}/other`, at: 4, done: 5, token: 'AT1', proof: { jti: 'o' } });
      expect(causeOfStop(b.trace(), outcome()).evidence).toEqual([0]);
    });

    it('names the token that was never presented, not one that was', () => {
      const b = new TraceBuilder();
      withToken(b, 'AT1');
      b.add({ at: 2, done: 3, token: 'AT1', proof: { jti: 'm' } });
      b.add({ server: 'as', at: 4, done: 5, proof: { jti: 'as-2' }, issuesToken: 'AT2' });
      expect(causeOfStop(b.trace(), outcome())).toEqual({ message: 'it received the DPoP-bound token of #2 and never presented it, and exited with 1', evidence: [2] });
    });

    it('a Bearer token is no DPoP-bound token to blame', () => {
      const b = new TraceBuilder('Bearer');
      withToken(b);
      expect(causeOfStop(b.trace(), outcome())).toEqual({ message: 'it stopped after the token response (#0 POST token, answered 200) and exited with 1', evidence: [0] });
    });
  });

  describe('the last exchange, by stage (RFC 9728, RFC 8414, RFC 7591, RFC 6749)', () => {
    const last = (step: Step): string => causeOfStop(traceOf(step), outcome()).message;

    it("the MCP server's first 401 challenge", () => {
      expect(last({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' } })).toBe(
        "it stopped after the MCP server's first 401 challenge (#0 POST mcp (tools/list), answered 401) without ever requesting a token and exited with 1",
      );
    });

    it('metadata, registration and authorization', () => {
      expect(last({ endpoint: 'prm', method: 'GET', url: `${MCP}/.well-known/oauth-protected-resource`, at: 0, done: 1 })).toBe(
        'it stopped after reading the protected resource metadata (#0 GET prm, answered 200) without ever requesting a token and exited with 1',
      );
      expect(last({ server: 'as', endpoint: 'as-metadata', method: 'GET', url: `${AS}/.well-known/oauth-authorization-server`, at: 0, done: 1 })).toBe(
        'it stopped after reading the authorization server metadata (#0 GET as-metadata, answered 200) without ever requesting a token and exited with 1',
      );
      expect(last({ server: 'as', endpoint: 'register', url: `${AS}/register`, at: 0, done: 1, status: 201 })).toBe(
        'it stopped after registering (#0 POST register, answered 201) without ever requesting a token and exited with 1',
      );
      expect(last({ server: 'as', endpoint: 'authorize', method: 'GET', url: `${AS}/authorize`, at: 0, done: 1, status: 302 })).toBe(
        'it stopped after the authorization response (#0 GET authorize, answered 302) without ever requesting a token and exited with 1',
      );
    });

    it('an MCP exchange, after a token was issued', () => {
      const trace = afterToken(mcpPost(2, 200));
      expect(causeOfStop(trace, outcome({ signal: 'SIGSEGV', exitCode: null }))).toEqual({
        message: 'it stopped after an MCP exchange (#1 POST mcp (tools/list), answered 200) and exited with SIGSEGV',
        evidence: [1],
      });
    });

    it('a request to another origin, or to some other path of a test server', () => {
      expect(last({ server: 'elsewhere', endpoint: 'other', method: 'GET', url: 'http://127.0.0.1:4000/mcp/moved', at: 0, done: 1, status: 404 })).toBe(
        'it stopped after a request to another origin (#0 GET other, answered 404) without ever requesting a token and exited with 1',
      );
      expect(last({ server: 'as', endpoint: 'other', method: 'GET', url: `${AS}/favicon.ico?x=1`, at: 0, done: 1, status: 404 })).toBe(
        'it stopped after a request to /favicon.ico (#0 GET other, answered 404) without ever requesting a token and exited with 1',
      );
    });

    it('cites only the last exchange', () => {
      const trace = traceOf(
        { server: 'as', endpoint: 'as-metadata', method: 'GET', url: `${AS}/.well-known/oauth-authorization-server`, at: 0, done: 1 },
        { server: 'as', endpoint: 'register', url: `${AS}/register`, at: 2, done: 3, status: 500 },
      );
      expect(causeOfStop(trace, outcome({ stderr: 'registration error' }))).toEqual({
        message: 'it stopped after registering (#1 POST register, answered 500) without ever requesting a token and exited with 1; the client said: "registration error"',
        evidence: [1],
      });
    });
  });
});
