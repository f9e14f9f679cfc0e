/**
 * False positives found by running conformant clients that make other legal
 * choices than the reference client, and by reading the judge. Each case is a
 * client behaviour RFC 9449 / SEP-1932 allow; the judge must not fail it. The
 * stale or broken variant next to it still fails, so no test here is vacuous.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { asNonce } from '../../src/checks/as-nonce.ts';
import { boundTokenUsed } from '../../src/checks/bound-token-used.ts';
import { dpopAuthScheme } from '../../src/checks/dpop-auth-scheme.ts';
import { judge } from '../../src/checks/judge.ts';
import { newestNonce } from '../../src/checks/newest-nonce.ts';
import { noGrantReuse } from '../../src/checks/no-grant-reuse.ts';
import { rsNonce } from '../../src/checks/rs-nonce.ts';
import { tokenRequestProof } from '../../src/checks/token-request-proof.ts';
import { DEFAULT_JUDGE_OPTIONS, type CheckResult, type JudgeOptions } from '../../src/checks/types.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import type { Schedule } from '../../src/schedule/types.ts';
import { parseSchedule } from '../../src/schedule/validate.ts';
import { startWorld, type World } from '../../src/world/world.ts';
import { TraceBuilder, withToken } from '../checks/trace-builder.ts';
import { createTestKey, mcpRequest, obtainToken } from '../support/dpop-test-proofs.ts';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(schedule: Schedule, now?: () => number): Promise<World> {
  world = await startWorld(schedule, now ? { now } : {});
  return world;
}

function failures(results: readonly CheckResult[]): string[] {
  return results.filter((r) => r.status === 'FAILURE').map((r) => `${r.id}: ${r.message}`);
}

function judged(w: World, schedule: Schedule, options: Partial<JudgeOptions> = {}, exitCode = 0): CheckResult[] {
  return judge({
    trace: w.trace(),
    schedule,
    outcome: { exitCode, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1 },
    options: { ...DEFAULT_JUDGE_OPTIONS, ...options },
  });
}

describe('a nonce challenge to a request without a proof', () => {
  // RFC 9449 §5: the AS may decline to bind (token_type Bearer); RFC 6750 lets the
  // client present that token as a bearer token when the resource does not require
  // binding. RFC 9449 §9: use_dpop_nonce answers a DPoP proof, so a bearer request
  // is never challenged for a nonce.
  const schedule = parseSchedule({
    version: 1,
    as: { ...scheduleWith({}).as, tokenType: 'Bearer' },
    mcp: { ...scheduleWith({}).mcp, post: [{ kind: 'use-dpop-nonce', nonce: 'a|0' }], boundTokensRequired: false },
    plan: [['tools/list']],
  });

  it('is never sent: the MCP server answers a bearer request per RFC 6750', async () => {
    const w = await start(schedule);
    const key = await createTestKey();
    const { accessToken, body } = await obtainToken(w, key);
    expect(body.token_type).toBe('Bearer');
    const res = await mcpRequest(w, { token: accessToken, scheme: 'Bearer', key: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('dpop-nonce')).toBeNull();
    expect(failures(judged(w, schedule))).toEqual([]);
  });

  it('is not judged as a nonce challenge when a server sends one anyway', () => {
    const b = new TraceBuilder('Bearer');
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', scheme: 'Bearer', proof: null, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'x' });
    b.add({ at: 30, done: 40, token: 'AT1', scheme: 'Bearer', proof: null, key: 'x' });
    expect(rsNonce(b.input()).status).not.toBe('FAILURE');
    expect(rsNonce(b.input({ exitCode: 1 })).status).not.toBe('FAILURE');
  });
});

describe('--profile rfc9449 in a world that challenges with Bearer only', () => {
  const schedule = scheduleWith({ mcp: { challenge: 'Bearer', boundTokensRequired: null } });

  it('lets a client answer the Bearer-only challenge with Bearer, and says so', async () => {
    const w = await start(schedule);
    const key = await createTestKey();
    const first = await mcpRequest(w, { token: null, key: null });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toMatch(/^Bearer /);
    const { accessToken } = await obtainToken(w, key);
    // RFC 9449 §7.2: a client can send a DPoP-bound token with Bearer after a Bearer challenge.
    const res = await mcpRequest(w, { token: accessToken, scheme: 'Bearer', key: null });
    expect(res.status).toBe(200);
    const results = judged(w, schedule, { profile: 'rfc9449' });
    expect(failures(results)).toEqual([]);
    const scheme = results.find((r) => r.id === 'sep-1932-client-dpop-auth-scheme')!;
    expect(scheme.message).not.toMatch(/All \d+ request\(s\) presented the token with the DPoP scheme/);
    // The default profile (SEP-1932) still requires the DPoP scheme.
    expect(failures(judged(w, schedule))).toContainEqual(expect.stringMatching(/^sep-1932-client-dpop-auth-scheme/));
  });

  it('rejects the contradictory world: Bearer-only challenges but bound tokens required', () => {
    const contradictory = { ...scheduleWith({}), mcp: { ...scheduleWith({}).mcp, challenge: 'Bearer', boundTokensRequired: true } };
    expect(() => parseSchedule(contradictory)).toThrow(/boundTokensRequired/);
  });
});

describe('"newest" nonce by issuance, not by arrival', () => {
  // A (earlier seq) is a success that rotates the nonce to N2, but its response is
  // produced after B (later seq) was challenged with N3: N2 is the newest nonce the
  // server issued, the one it accepts.
  function rotationRace(retryNonce: string): TraceBuilder {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, nonce: 'N1', key: 'init', issuesSession: 'S' });
    b.add({ at: 30, done: 60, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, session: 'S', nonce: 'N2', generation: 2, key: 'A' });
    b.add({ at: 31, done: 40, token: 'AT1', proof: { jti: 'c', nonce: 'N1' }, session: 'S', status: 401, error: 'use_dpop_nonce', nonce: 'N3', generation: 1, key: 'B' });
    b.add({ at: 70, done: 80, token: 'AT1', proof: { jti: 'd', nonce: retryNonce }, session: 'S', key: 'B' });
    return b;
  }

  it('accepts a retry carrying the nonce issued last, whatever the arrival order', () => {
    const input = rotationRace('N2').input();
    expect(rsNonce(input).status).toBe('SUCCESS');
    expect(newestNonce(input).status).not.toBe('FAILURE');
  });

  it('still fails a retry carrying a nonce older than the challenge, delivered before it', () => {
    const input = rotationRace('N1').input();
    expect(rsNonce(input).status).toBe('FAILURE');
  });
});

describe('the other server\'s nonce on a shared origin', () => {
  // RFC 9449 §8/§9 tie a nonce to "the server"; on one origin a client may key
  // nonces by origin. One rule everywhere: WARNING, never a MUST failure.
  function sharedOrigin(): TraceBuilder {
    const b = new TraceBuilder('DPoP', { sameOrigin: true });
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, issuesToken: 'AT1', key: 'code' });
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'R1', key: 'x' });
    // A refresh overlapping the challenge brings the AS nonce A1, answered after R1.
    b.add({ server: 'as', at: 11, done: 25, proof: { jti: 'as-2' }, nonce: 'A1', key: 'refresh', grant: { type: 'refresh_token', code: null, refreshToken: 'RT' } });
    b.add({ at: 30, done: 40, token: 'AT1', proof: { jti: 'b', nonce: 'A1' }, key: 'x' });
    return b;
  }

  it('is a WARNING in rs-nonce as in newest-nonce', () => {
    const input = sharedOrigin().input();
    expect(newestNonce(input).status).toBe('WARNING');
    expect(rsNonce(input).status).toBe('WARNING');
  });
});

describe('checks fail only on evidence of what they name', () => {
  it('token-request-proof does not fail a client that stopped before any token request', () => {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, status: 401, decision: { kind: 'unauthenticated' }, key: 'init' });
    b.add({ endpoint: 'prm', method: 'GET', at: 2, done: 3, url: 'http://127.0.0.1:2000/.well-known/oauth-protected-resource/mcp' });
    expect(tokenRequestProof(b.input({ exitCode: 1 })).status).not.toBe('FAILURE');
  });

  it('bound-token-used does not fail a client that stopped after obtaining its token', () => {
    const b = new TraceBuilder();
    withToken(b);
    expect(boundTokenUsed(b.input({ exitCode: 1 })).status).not.toBe('FAILURE');
  });
});

describe('a token from an earlier run', () => {
  // A persistent token cache keyed by server URL presents a token from an earlier
  // run when an ephemeral port repeats; the server refuses it, the client
  // re-authorizes. The recovery is judged, not the stale attempt.
  function cachedThenFresh(): TraceBuilder {
    const b = new TraceBuilder();
    b.add({ at: 0, done: 1, token: 'eyJ.earlier-run.token', proof: { jti: 'stale', nonce: 'earlier-run-nonce' }, status: 401, error: 'invalid_token', key: 'init' });
    b.add({ server: 'as', at: 5, done: 6, proof: { jti: 'as-1' }, issuesToken: 'AT1' });
    b.add({ at: 10, done: 20, token: 'AT1', proof: { jti: 'a' }, status: 401, error: 'use_dpop_nonce', nonce: 'N1', key: 'init' });
    b.add({ at: 21, done: 30, token: 'AT1', proof: { jti: 'b', nonce: 'N1' }, key: 'init' });
    return b;
  }

  it('is not an altered token, and its nonce is not a mangled one', () => {
    const input = cachedThenFresh().input();
    expect(failures(judge(input))).toEqual([]);
  });

  it('still fails a token the client altered (cut at "+")', () => {
    const b = new TraceBuilder();
    withToken(b, 'abc+def==');
    b.add({ at: 10, done: 20, token: 'abc', proof: { jti: 'a' }, status: 401, error: 'invalid_token' });
    expect(boundTokenUsed(b.input()).status).toBe('FAILURE');
  });
});

describe('concurrent twins are not retries', () => {
  // Two refreshes with the same refresh token, both sent before either answer
  // arrived. The second arrives just after the first's challenge was answered:
  // arrival after an answer is not causality.
  it('does not take the twin for the nonce retry of the first; the parallel refresh is what is named', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'code' }, issuesToken: 'AT1', issuesRefresh: 'RT1' });
    const refresh = { type: 'refresh_token', code: null, refreshToken: 'RT1' };
    b.add({ server: 'as', at: 10, done: 20, proof: { jti: 'ra' }, grant: refresh, key: 'refresh', status: 400, error: 'use_dpop_nonce', nonce: 'N1' });
    b.add({ server: 'as', at: 21, done: 30, proof: { jti: 'rb' }, grant: refresh, key: 'refresh', status: 400, error: 'use_dpop_nonce', nonce: 'N1' });
    b.add({ server: 'as', at: 31, done: 35, proof: { jti: 'ra2', nonce: 'N1' }, grant: refresh, key: 'refresh', issuesToken: 'AT2', issuesRefresh: 'RT2' });
    b.add({ server: 'as', at: 36, done: 40, proof: { jti: 'rb2', nonce: 'N1' }, grant: refresh, key: 'refresh', status: 400, error: 'invalid_grant' });
    expect(asNonce(b.input()).status).not.toBe('FAILURE');
    const reuse = noGrantReuse(b.input());
    expect(reuse.status).toBe('FAILURE');
    expect(reuse.message).toMatch(/refresh token that #3 POST token had already rotated/);
  });

  // Found by the nightly target run on the SDK v2 client: two parallel refreshes, the twin
  // arriving in the same millisecond its sibling's challenge was answered, and no retry at
  // all. At whole milliseconds the twin looked like a stale retry; the servers' clock now
  // keeps sub-millisecond order (src/world/clock.ts), and the trace shows the twin arrived first.
  it('does not take a twin that arrived a fraction of a millisecond before the answer for a retry; a retry just after it still counts', () => {
    const twins = (twinAt: number) => {
      const b = new TraceBuilder();
      b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'code' }, issuesToken: 'AT1', issuesRefresh: 'RT1' });
      const refresh = { type: 'refresh_token', code: null, refreshToken: 'RT1' };
      b.add({ server: 'as', at: 30, done: 30.4, proof: { jti: 'ra', nonce: 'N0' }, grant: refresh, key: 'refresh', status: 400, error: 'use_dpop_nonce', nonce: 'N1' });
      b.add({ server: 'as', at: twinAt, done: 31, proof: { jti: 'rb', nonce: 'N0' }, grant: refresh, key: 'refresh', status: 400, error: 'use_dpop_nonce', nonce: 'N1' });
      return b.input();
    };
    expect(asNonce(twins(30.2)).status).toBe('SUCCESS');
    expect(asNonce(twins(30.6)).status).toBe('FAILURE');
  });
});

describe('token lifetimes', () => {
  it('a token with expires_in 1 lives a whole second, however the clock falls', async () => {
    // The servers' clock sits 1 ms before a second boundary.
    let clock = Math.floor(Date.now() / 1000) * 1000 + 999;
    const schedule = scheduleWith({ as: { tokenLifetime: 1 } });
    const w = await start(schedule, () => clock);
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    clock += 500;
    const res = await mcpRequest(w, { token: accessToken, key });
    expect(res.status).toBe(200);
    clock += 600;
    const expired = await mcpRequest(w, { token: accessToken, key });
    expect(expired.status).toBe(401);
  });
});

describe('the MCP server\'s metadata is coherent with the URL the client was given', () => {
  // RFC 9728 §3.3: `resource` must be identical to the URL the metadata URL was built from
  // (query included, RFC 9728 §3.1), or to the URL of the request that was challenged.
  it('names the MCP URL with its query as the resource', async () => {
    const w = await start(scheduleWith({ mcp: { query: 'tenant=a&x=%7E1' } }));
    const first = await mcpRequest(w, { token: null, key: null });
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(first.headers.get('www-authenticate') ?? '')?.[1];
    expect(metadataUrl).toBeDefined();
    const prm = (await (await fetch(metadataUrl!)).json()) as { resource: string };
    expect(prm.resource).toBe(w.mcpUrl);
    const url = new URL(w.mcpUrl);
    const pathBased = `${url.origin}/.well-known/oauth-protected-resource${url.pathname}${url.search}`;
    expect(((await (await fetch(pathBased)).json()) as { resource: string }).resource).toBe(w.mcpUrl);
  });

  it('names the URL the challenged request went to behind a redirect', async () => {
    const w = await start(scheduleWith({ mcp: { redirect: 307 } }));
    const hop = await fetch(w.mcpUrl, { method: 'POST', redirect: 'manual' });
    expect(hop.status).toBe(307);
    const moved = new URL(hop.headers.get('location')!, w.mcpUrl).href;
    const first = await fetch(moved, { method: 'POST' });
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(first.headers.get('www-authenticate') ?? '')?.[1];
    const prm = (await (await fetch(metadataUrl!)).json()) as { resource: string };
    expect(prm.resource).toBe(moved);
  });
});
