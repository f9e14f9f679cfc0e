/**
 * The one place where RFC 9449 and MCP's DPoP profile (SEP-1932) part ways:
 * RFC 9449 §7.2 lets a client present a DPoP-bound token with the Bearer
 * scheme after the resource server offered only Bearer; SEP-1932 never does.
 * Pinned here: when a WWW-Authenticate value offers no DPoP (RFC 9110 §11.6.1:
 * auth-schemes are case-insensitive tokens, separated from parameters by
 * whitespace and from other challenges by commas), which challenges a request
 * provably followed (a 401 from the MCP endpoint answered by the time it
 * arrived), and the three conditions of a tolerated Bearer presentation.
 */
import { describe, expect, it } from 'vitest';
import { bearerTolerated, followsBearerOnlyChallenge, offersNoDpop } from '../../../src/checks/_internals/profile.ts';
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions } from '../../../src/checks/types.ts';
import type { Trace, TraceEntry } from '../../../src/trace/types.ts';
import { TraceBuilder, withToken } from '../trace-builder.ts';

const RFC9449: JudgeOptions = { ...DEFAULT_JUDGE_OPTIONS, profile: 'rfc9449' };
const SEP1932: JudgeOptions = { ...DEFAULT_JUDGE_OPTIONS, profile: 'sep-1932' };

function entry(trace: Trace, seq: number): TraceEntry {
  return trace.entries[seq]!;
}

describe('offersNoDpop (RFC 9110 §11.6.1)', () => {
  it('no WWW-Authenticate header is no challenge at all, so it does not count as Bearer-only', () => {
    expect(offersNoDpop(undefined)).toBe(false);
  });

  it('a challenge without the DPoP scheme offers no DPoP', () => {
    expect(offersNoDpop('Bearer realm="x"')).toBe(true);
    expect(offersNoDpop('Bearer error="invalid_token"')).toBe(true);
    expect(offersNoDpop('')).toBe(true);
  });

  it('the DPoP scheme alone, with parameters, or in any case offers DPoP', () => {
    expect(offersNoDpop('DPoP')).toBe(false);
    expect(offersNoDpop('dpop')).toBe(false);
    expect(offersNoDpop('DPOP')).toBe(false);
    expect(offersNoDpop('DPoP algs="ES256"')).toBe(false);
    expect(offersNoDpop('dpop algs="ES256"')).toBe(false);
    expect(offersNoDpop('DPoP\talgs="ES256"')).toBe(false);
  });

  it('DPoP offered after another challenge, separated by a comma or whitespace, offers DPoP', () => {
    expect(offersNoDpop('Bearer, DPoP')).toBe(false);
    expect(offersNoDpop('Bearer,DPoP')).toBe(false);
    expect(offersNoDpop('Bearer DPoP')).toBe(false);
    expect(offersNoDpop('Bearer\tDPoP')).toBe(false);
    expect(offersNoDpop('Bearer realm="x",DPoP algs="ES256"')).toBe(false);
  });

  it('DPoP offered before another challenge, followed by a comma, offers DPoP', () => {
    expect(offersNoDpop('DPoP,Bearer')).toBe(false);
    expect(offersNoDpop('DPoP, Bearer')).toBe(false);
  });

  it('"dpop" inside another word or a parameter value is no DPoP scheme', () => {
    expect(offersNoDpop('NotDPoP')).toBe(true);
    expect(offersNoDpop('DPoPx')).toBe(true);
    expect(offersNoDpop('Bearer realm="dpop"')).toBe(true);
    expect(offersNoDpop('Bearer realm=dpop')).toBe(true);
    expect(offersNoDpop('Bearer-DPoP')).toBe(true);
  });

  it('a quoted parameter value is text, even when it reads "DPoP" as a word (RFC 9110 §5.6.4)', () => {
    expect(offersNoDpop('Bearer error_description="use DPoP here"')).toBe(true);
    expect(offersNoDpop('Bearer error_description="try, DPoP"')).toBe(true);
    // An escaped quote does not end the quoted string.
    expect(offersNoDpop('Bearer error_description="say \\" DPoP \\" please"')).toBe(true);
    // A word glued to a quoted string is part of that parameter, not a scheme of its own.
    expect(offersNoDpop('Bearer, "x"DPoP')).toBe(true);
    // The scheme after a quoted value still counts.
    expect(offersNoDpop('Bearer realm="x", DPoP algs="ES256"')).toBe(false);
  });
});

describe('followsBearerOnlyChallenge: a 401 from the MCP endpoint without DPoP, answered by the time the request arrived', () => {
  /** A Bearer-only 401 answered at `done`, then the request under judgment arriving at `at`. */
  function afterChallenge(challengeStep: { status?: number; challenge?: string; server?: 'as' | 'mcp'; done?: number }, at: number): { trace: Trace; request: TraceEntry } {
    const b = new TraceBuilder();
    b.add({ server: challengeStep.server ?? 'mcp', at: 0, done: challengeStep.done ?? 5, status: challengeStep.status ?? 401, challenge: challengeStep.challenge, proof: { jti: 'c' } });
    b.add({ method: 'GET', at, done: at + 1 });
    const trace = b.trace();
    return { trace, request: entry(trace, 1) };
  }

  it('counts a Bearer-only 401 answered exactly when the request arrived', () => {
    const { trace, request } = afterChallenge({ challenge: 'Bearer realm="x"', done: 5 }, 5);
    expect(followsBearerOnlyChallenge(trace, request)).toBe(true);
  });

  it('does not count a Bearer-only 401 answered one millisecond after the request arrived', () => {
    const { trace, request } = afterChallenge({ challenge: 'Bearer realm="x"', done: 6 }, 5);
    expect(followsBearerOnlyChallenge(trace, request)).toBe(false);
  });

  it('does not count a 401 that offered DPoP', () => {
    const { trace, request } = afterChallenge({ challenge: 'Bearer, DPoP algs="ES256"' }, 10);
    expect(followsBearerOnlyChallenge(trace, request)).toBe(false);
  });

  it('does not count a 401 without any challenge', () => {
    const { trace, request } = afterChallenge({}, 10);
    expect(followsBearerOnlyChallenge(trace, request)).toBe(false);
  });

  it('does not count a Bearer challenge on another status (403 insufficient_scope)', () => {
    const { trace, request } = afterChallenge({ status: 403, challenge: 'Bearer error="insufficient_scope"' }, 10);
    expect(followsBearerOnlyChallenge(trace, request)).toBe(false);
  });

  it("does not count the authorization server's 401 (client authentication, RFC 6749 §5.2)", () => {
    const { trace, request } = afterChallenge({ server: 'as', challenge: 'Basic realm="as"' }, 10);
    expect(followsBearerOnlyChallenge(trace, request)).toBe(false);
  });

  it('one qualifying challenge among other MCP responses is enough', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1 }); // #0 200
    b.add({ at: 2, done: 3, status: 401, challenge: 'Bearer realm="x"' }); // #1 Bearer-only
    b.add({ at: 4, done: 5, status: 401, challenge: 'DPoP algs="ES256"' }); // #2 offers DPoP
    b.add({ method: 'GET', at: 6, done: 7 }); // #3
    const trace = b.trace();
    expect(followsBearerOnlyChallenge(trace, entry(trace, 3))).toBe(true);
  });

  it('is false when the MCP server answered nothing yet', () => {
    const b = new TraceBuilder();
    withToken(b);
    const trace = b.trace();
    expect(followsBearerOnlyChallenge(trace, entry(trace, 0))).toBe(false);
  });
});

describe('bearerTolerated: RFC 9449 §7.2 under --profile rfc9449 only', () => {
  /** #0 issues AT1, #1 is the MCP server's challenge, #2 presents AT1 with `scheme` (or nothing). */
  function presentation(challenge: string, scheme: string | null): { trace: Trace; request: TraceEntry } {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, status: 401, challenge });
    b.add({ method: 'GET', at: 4, done: 5, ...(scheme === null ? {} : { token: 'AT1', scheme }), proof: null });
    const trace = b.trace();
    return { trace, request: entry(trace, 2) };
  }

  it('tolerates Bearer in any case after a Bearer-only challenge under rfc9449', () => {
    for (const scheme of ['Bearer', 'bearer', 'bEaReR']) {
      const { trace, request } = presentation('Bearer realm="x"', scheme);
      expect(bearerTolerated(trace, request, RFC9449)).toBe(true);
    }
  });

  it('never tolerates it under sep-1932 (the default profile)', () => {
    const { trace, request } = presentation('Bearer realm="x"', 'Bearer');
    expect(bearerTolerated(trace, request, SEP1932)).toBe(false);
    expect(bearerTolerated(trace, request, DEFAULT_JUDGE_OPTIONS)).toBe(false);
  });

  it('does not apply to the DPoP scheme or to a request without credentials', () => {
    const dpop = presentation('Bearer realm="x"', 'DPoP');
    expect(bearerTolerated(dpop.trace, dpop.request, RFC9449)).toBe(false);
    const none = presentation('Bearer realm="x"', null);
    expect(bearerTolerated(none.trace, none.request, RFC9449)).toBe(false);
  });

  it('does not apply when the challenge offered DPoP', () => {
    const { trace, request } = presentation('Bearer realm="x", DPoP algs="ES256"', 'Bearer');
    expect(bearerTolerated(trace, request, RFC9449)).toBe(false);
  });
});
