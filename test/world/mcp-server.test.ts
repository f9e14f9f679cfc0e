/**
 * The test MCP server (src/world/mcp-server.ts): every request to the MCP
 * endpoint — POST, the GET SSE stream, DELETE — passes the same DPoP judge
 * (RFC 9449 §4.3, §7) before the schedule decides; each rule is checked on
 * the wire (status, `WWW-Authenticate`, `DPoP-Nonce`) and in the trace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import { DEFAULT_JUDGE_OPTIONS } from '../../src/checks/types.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import type { Schedule } from '../../src/schedule/types.ts';
import type { TraceEntry } from '../../src/trace/types.ts';
import { startWorld, type World, type WorldOptions } from '../../src/world/world.ts';
import { createTestKey, mcpHtu, mcpInitialize, mcpRequest, obtainToken, readRpc, type ReadyWorld, type TestKey } from '../support/dpop-test-proofs.ts';

type SchedulePatch = Parameters<typeof scheduleWith>[0];

type Ready = ReadyWorld;

let world: World | undefined;
/** The servers' clock: pinned, and moved only by the tests. */
let clockMs = 0;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(patch: SchedulePatch = {}, options: Omit<WorldOptions, 'now'> = {}): Promise<{ w: World; schedule: Schedule }> {
  const schedule = scheduleWith(patch);
  clockMs = Math.floor(Date.now() / 1000) * 1000;
  world = await startWorld(schedule, { ...options, now: () => clockMs });
  return { w: world, schedule };
}

/** A world and a DPoP-bound token for `key`. */
async function ready(patch: SchedulePatch = {}): Promise<Ready> {
  const { w, schedule } = await start(patch);
  const key = await createTestKey();
  const { accessToken } = await obtainToken(w, key);
  return { w, schedule, key, token: accessToken };
}

function mcpEntries(w: World): TraceEntry[] {
  return w.trace().entries.filter((e) => e.endpoint === 'mcp');
}

function lastMcpEntry(w: World): TraceEntry {
  const entry = mcpEntries(w).at(-1);
  if (!entry) throw new Error('no MCP request was recorded');
  return entry;
}

/** auth-params of a challenge, RFC 9110 §11.2 (quoted-string values only, as the server sends). */
function challengeParams(challenge: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of challenge.matchAll(/([A-Za-z_]+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return out;
}

function wwwAuthenticate(res: Response): string {
  const value = res.headers.get('www-authenticate');
  if (value === null) throw new Error(`no WWW-Authenticate on HTTP ${res.status}`);
  return value;
}

/** Asserts a DPoP challenge with `error` (RFC 9449 §7.1) and returns its parameters. */
function expectDpopError(res: Response, status: number, error: string): Record<string, string> {
  expect(res.status).toBe(status);
  const challenge = wwwAuthenticate(res);
  expect(challenge).toMatch(/^DPoP /);
  const params = challengeParams(challenge);
  expect(params.error).toBe(error);
  return params;
}

/** Initializes a session and returns its id. */
async function session(r: Ready): Promise<string> {
  const res = await mcpInitialize(r.w, r.token, r.key);
  expect(res.status).toBe(200);
  await res.body?.cancel();
  const id = res.headers.get('mcp-session-id');
  if (id === null) throw new Error('no Mcp-Session-Id');
  return id;
}

describe('requests without credentials (RFC 6750 §3, RFC 9728 §5.1)', () => {
  it('401 with a DPoP challenge naming the metadata and the algs, no error', async () => {
    const { w } = await start({ as: { algs: ['ES256', 'EdDSA'] } });
    const res = await mcpRequest(w, { token: null, key: null });
    expect(res.status).toBe(401);
    const challenge = wwwAuthenticate(res);
    expect(challenge).toMatch(/^DPoP /);
    expect(challenge).not.toMatch(/\berror=/);
    const params = challengeParams(challenge);
    expect(params.algs).toBe('ES256 EdDSA');
    expect(params.resource_metadata).toBe(`${new URL(w.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`);
    expect(lastMcpEntry(w)).toMatchObject({ status: 401, decision: { kind: 'unauthenticated' }, error: null, authorization: { kind: 'none' }, proof: null });

    const prm = await fetch(params.resource_metadata!);
    expect(prm.status).toBe(200);
    const meta = (await prm.json()) as Record<string, unknown>;
    expect(meta.resource).toBe(w.mcpUrl);
    expect(meta.authorization_servers).toEqual([w.asOrigin]);
    expect(w.trace().entries.at(-1)).toMatchObject({ endpoint: 'prm', decision: { kind: 'served' } });
  });

  it('the resource is the MCP URL with its query, as the client was given it (RFC 9728 §3.1, §3.3)', async () => {
    const { w } = await start({ mcp: { query: 'tenant=a' } });
    const params = challengeParams(wwwAuthenticate(await mcpRequest(w, { token: null, key: null })));
    expect(params.resource_metadata).toBe(`${new URL(w.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp?tenant=a`);
    const meta = (await (await fetch(params.resource_metadata!)).json()) as Record<string, unknown>;
    expect(meta.resource).toBe(w.mcpUrl);
    expect(w.mcpUrl).toBe(`${mcpHtu(w)}?tenant=a`);
  });

  it("challenge 'DPoP+Bearer' offers both schemes, algs only on DPoP (RFC 9449 §7.2)", async () => {
    const { w } = await start({ mcp: { challenge: 'DPoP+Bearer' } });
    const res = await mcpRequest(w, { token: null, key: null });
    expect(res.status).toBe(401);
    const challenge = wwwAuthenticate(res);
    const [bearer = '', dpop = ''] = challenge.split(/,\s*(?=DPoP )/);
    expect(bearer).toMatch(/^Bearer resource_metadata="/);
    expect(bearer).not.toMatch(/algs=/);
    expect(dpop).toMatch(/^DPoP /);
    expect(challengeParams(dpop).algs).toBe('ES256');
    expect(challenge).not.toMatch(/\berror=/);
  });

  it("challenge 'Bearer' offers only Bearer", async () => {
    const { w } = await start({ mcp: { challenge: 'Bearer' } });
    const challenge = wwwAuthenticate(await mcpRequest(w, { token: null, key: null }));
    expect(challenge).toMatch(/^Bearer resource_metadata="[^"]+"$/);
    expect(challenge).not.toMatch(/DPoP/i);
  });
});

describe('tokens the server refuses (RFC 9449 §7.1, §7.2; RFC 6750 §3.1)', () => {
  it('a DPoP-bound token with the Bearer scheme → 401 invalid_token', async () => {
    const r = await ready();
    const res = await mcpRequest(r.w, { token: r.token, key: r.key, scheme: 'Bearer' });
    expect(res.status).toBe(401);
    expect(challengeParams(wwwAuthenticate(res)).error).toBe('invalid_token');
    expect(lastMcpEntry(r.w)).toMatchObject({
      error: 'invalid_token',
      authorization: { kind: 'credentials', scheme: 'Bearer', tokenId: 't0' },
      decision: { kind: 'rejected', error: 'invalid_token', reason: expect.stringMatching(/Bearer scheme/) },
    });
  });

  it.each([
    ['an unknown JWT', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['a non-JWT token', 'not-a-token'],
  ])('%s → 401 invalid_token', async (_name, token) => {
    const r = await ready();
    const res = await mcpRequest(r.w, { token, key: r.key });
    expect(res.status).toBe(401);
    expect(challengeParams(wwwAuthenticate(res)).error).toBe('invalid_token');
    expect(lastMcpEntry(r.w)).toMatchObject({
      authorization: { kind: 'credentials', scheme: 'DPoP', token, tokenId: null },
      decision: { kind: 'rejected', error: 'invalid_token', reason: 'unknown access token' },
    });
  });

  it('an expired token → 401 invalid_token', async () => {
    const r = await ready({ as: { tokenLifetime: 60 } });
    clockMs += 60_000;
    const res = await mcpInitialize(r.w, r.token, r.key);
    expect(res.status).toBe(401);
    expect(challengeParams(wwwAuthenticate(res)).error).toBe('invalid_token');
    expect(lastMcpEntry(r.w).decision).toEqual({ kind: 'rejected', error: 'invalid_token', reason: 'access token expired' });
  });

  it('an unbound (Bearer) token is accepted with the Bearer scheme and no proof where binding is not required', async () => {
    const { w } = await start({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: false } });
    const { accessToken } = await obtainToken(w, await createTestKey());
    const res = await mcpRequest(w, { token: accessToken, key: null, scheme: 'Bearer' });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(lastMcpEntry(w).decision).toEqual({ kind: 'scheduled', index: 0, action: 'ok' });
  });

  it.each([
    ['Bearer', null],
    ['DPoP', 'proof'],
  ] as const)('where bound tokens are required, an unbound token is refused with the %s scheme (RFC 9728 §2, RFC 9449 §5.2)', async (scheme, proof) => {
    const { w } = await start({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: true } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const res = await mcpRequest(w, { token: accessToken, key: proof === null ? null : key, scheme });
    expectDpopError(res, 401, 'invalid_token');
    expect(lastMcpEntry(w).decision).toMatchObject({ kind: 'rejected', error: 'invalid_token', reason: expect.stringMatching(/requires DPoP-bound access tokens/) });
  });

  it('a Bearer-only resource takes a DPoP-bound token presented as Bearer (RFC 9449 §7.2); others refuse it', async () => {
    const bearerOnly = await start({ mcp: { challenge: 'Bearer', boundTokensRequired: null } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(bearerOnly.w, key);
    const res = await mcpRequest(bearerOnly.w, { token: accessToken, key: null, scheme: 'Bearer' });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    await bearerOnly.w.close();
    const both = await start({ mcp: { challenge: 'DPoP+Bearer', boundTokensRequired: false } });
    const token = (await obtainToken(both.w, key)).accessToken;
    const refused = await mcpRequest(both.w, { token, key: null, scheme: 'Bearer' });
    expect(refused.status).toBe(401);
    expect(lastMcpEntry(both.w).decision).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/DPoP-bound access token presented with the Bearer scheme/) });
  });
});

describe('a valid request', () => {
  it('→ 200 initialize result and a session id, recorded as issuedSessionId', async () => {
    const r = await ready();
    const res = await mcpInitialize(r.w, r.token, r.key);
    expect(res.status).toBe(200);
    const sessionId = res.headers.get('mcp-session-id');
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const rpc = await readRpc(res);
    expect(rpc).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'dpop-fuzz-test-server' } } });
    expect(lastMcpEntry(r.w)).toMatchObject({
      status: 200,
      decision: { kind: 'scheduled', index: 0, action: 'ok' },
      error: null,
      issuedSessionId: sessionId,
      sessionId: null,
      rpc: [{ method: 'initialize', id: 1 }],
      authorization: { kind: 'credentials', scheme: 'DPoP', tokenId: 't0' },
    });
    expect(lastMcpEntry(r.w).proof).toMatchObject({ count: 1, problems: [], jkt: r.key.jkt, signatureValid: true });
  });

  it('a follow-up POST in the session mints no new session id', async () => {
    const r = await ready();
    const sessionId = await session(r);
    const res = await mcpRequest(r.w, { token: r.token, key: r.key, sessionId, body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } });
    expect(res.status).toBe(200);
    expect(await readRpc(res)).toMatchObject({ id: 2, result: { tools: [expect.objectContaining({ name: 'echo' })] } });
    expect(lastMcpEntry(r.w)).toMatchObject({ sessionId, issuedSessionId: null, decision: { index: 1 } });
  });

  it('a query in htu is accepted by the server and reported by the judge', async () => {
    const r = await ready({ mcp: { query: 'tenant=a' } });
    const res = await mcpRequest(r.w, { token: r.token, key: r.key, proof: { claims: { htu: r.w.mcpUrl } } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    const entry = lastMcpEntry(r.w);
    expect(entry.proof?.claims?.htu).toBe(r.w.mcpUrl);
    expect(entry.url).toBe(r.w.mcpUrl);
    expect(entry.htuTarget).toBe(mcpHtu(r.w));
    await r.w.close();
    const results = judge({
      trace: r.w.trace(),
      schedule: r.schedule,
      outcome: { exitCode: 0, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1 },
      options: DEFAULT_JUDGE_OPTIONS,
    });
    expect(results.find((c) => c.id === 'sep-1932-client-htm-htu-match')).toMatchObject({ status: 'FAILURE', evidence: [entry.seq] });
  });
});

describe('proofs the MCP server rejects (RFC 9449 §4.3, §7)', () => {
  it.each([
    ['an ath that does not match the token', { proof: { claims: { ath: 'AAAA' } } }, /^ath-mismatch/],
    ['no ath', { proof: { claims: { ath: undefined } } }, /^ath-missing/],
    ['htm of another method', { proof: { claims: { htm: 'GET' } } }, /htm claim "GET"/],
  ] as const)('%s → 401 invalid_dpop_proof', async (_name, call, reason) => {
    const r = await ready();
    const res = await mcpRequest(r.w, { token: r.token, key: r.key, ...call });
    const params = expectDpopError(res, 401, 'invalid_dpop_proof');
    expect(params.algs).toBe('ES256');
    expect(lastMcpEntry(r.w)).toMatchObject({
      error: 'invalid_dpop_proof',
      decision: { kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(reason) },
    });
  });

  it('a proof by a key other than cnf.jkt → 401 invalid_dpop_proof', async () => {
    const r = await ready();
    const other = await createTestKey();
    const res = await mcpRequest(r.w, { token: r.token, key: other });
    expectDpopError(res, 401, 'invalid_dpop_proof');
    const entry = lastMcpEntry(r.w);
    expect(entry.proof?.jkt).toBe(other.jkt);
    expect(entry.decision).toEqual({ kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(/^jkt-mismatch/) });
  });

  it('no proof → 401 invalid_dpop_proof', async () => {
    const r = await ready();
    const res = await mcpRequest(r.w, { token: r.token, key: null });
    expectDpopError(res, 401, 'invalid_dpop_proof');
    expect(lastMcpEntry(r.w)).toMatchObject({ proof: null, decision: { reason: 'missing DPoP proof' } });
  });

  it('a replayed proof → 401 invalid_dpop_proof (RFC 9449 §11.1)', async () => {
    const r = await ready();
    const first = await mcpRequest(r.w, { token: r.token, key: r.key, proof: { claims: { jti: 'once' } } });
    expect(first.status).toBe(200);
    await first.body?.cancel();
    const replay = await mcpRequest(r.w, { token: r.token, key: r.key, proof: { claims: { jti: 'once' } } });
    expectDpopError(replay, 401, 'invalid_dpop_proof');
    expect(lastMcpEntry(r.w).decision).toMatchObject({ reason: expect.stringMatching(/^jti-replayed/) });
  });

  it("the DPoP challenge is used for proof errors even when the schedule offers 'Bearer'", async () => {
    const r = await ready({ mcp: { challenge: 'Bearer' } });
    expectDpopError(await mcpRequest(r.w, { token: r.token, key: null }), 401, 'invalid_dpop_proof');
  });
});

describe('nonces (RFC 9449 §9, §8.2, §11.3)', () => {
  it('scheduled use-dpop-nonce on POST 0: 401 with DPoP-Nonce; the retry with it → 200; then proofs without it are challenged', async () => {
    const nonce = "rs'n1;a=b,c";
    const r = await ready({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce }] } });
    const first = await mcpInitialize(r.w, r.token, r.key);
    expectDpopError(first, 401, 'use_dpop_nonce');
    expect(first.headers.get('dpop-nonce')).toBe(nonce);
    expect(lastMcpEntry(r.w)).toMatchObject({
      decision: { kind: 'scheduled', index: 0, action: 'use-dpop-nonce' },
      error: 'use_dpop_nonce',
      nonceDelivered: nonce,
    });

    const retry = await mcpInitialize(r.w, r.token, r.key, { nonce });
    expect(retry.status).toBe(200);
    const sessionId = retry.headers.get('mcp-session-id')!;
    await retry.body?.cancel();
    expect(lastMcpEntry(r.w)).toMatchObject({ decision: { kind: 'scheduled', index: 1, action: 'ok' }, issuedSessionId: sessionId });

    const stale = await mcpRequest(r.w, { token: r.token, key: r.key, sessionId, body: { jsonrpc: '2.0', id: 2, method: 'ping' } });
    expectDpopError(stale, 401, 'use_dpop_nonce');
    expect(stale.headers.get('dpop-nonce')).toBe(nonce);
    expect(lastMcpEntry(r.w)).toMatchObject({ decision: { kind: 'nonce-required', nonce }, nonceDelivered: nonce });
  });

  it('initialNonce challenges the first authenticated request by policy', async () => {
    const r = await ready({ mcp: { initialNonce: 'rs-nonce-0' } });
    const first = await mcpInitialize(r.w, r.token, r.key);
    expectDpopError(first, 401, 'use_dpop_nonce');
    expect(first.headers.get('dpop-nonce')).toBe('rs-nonce-0');
    expect(lastMcpEntry(r.w).decision).toEqual({ kind: 'nonce-required', nonce: 'rs-nonce-0' });
    const retry = await mcpInitialize(r.w, r.token, r.key, { nonce: 'rs-nonce-0' });
    expect(retry.status).toBe(200);
    await retry.body?.cancel();
    expect(lastMcpEntry(r.w).decision).toEqual({ kind: 'scheduled', index: 0, action: 'ok' });
  });

  it('scheduled ok-new-nonce: 200 with DPoP-Nonce, which becomes the required nonce', async () => {
    const r = await ready({ mcp: { post: [{ kind: 'ok-new-nonce', nonce: 'rs-new' }] } });
    const res = await mcpInitialize(r.w, r.token, r.key);
    expect(res.status).toBe(200);
    expect(res.headers.get('dpop-nonce')).toBe('rs-new');
    const sessionId = res.headers.get('mcp-session-id')!;
    expect(await readRpc(res)).toMatchObject({ id: 1, result: expect.any(Object) });
    const entry = lastMcpEntry(r.w);
    expect(entry).toMatchObject({ decision: { kind: 'scheduled', index: 0, action: 'ok-new-nonce' }, nonceDelivered: 'rs-new', issuedSessionId: sessionId });
    expect(r.w.trace().nonces).toEqual([{ server: 'mcp', value: 'rs-new', seq: entry.seq, generation: 0 }]);

    const next = await mcpRequest(r.w, { token: r.token, key: r.key, sessionId, body: { jsonrpc: '2.0', id: 2, method: 'ping' } });
    expectDpopError(next, 401, 'use_dpop_nonce');
    expect(next.headers.get('dpop-nonce')).toBe('rs-new');
  });
});

describe('other scheduled answers', () => {
  it('invalid-token → 401 invalid_token', async () => {
    const r = await ready({ mcp: { post: [{ kind: 'invalid-token' }] } });
    const res = await mcpInitialize(r.w, r.token, r.key);
    expect(res.status).toBe(401);
    expect(challengeParams(wwwAuthenticate(res)).error).toBe('invalid_token');
    expect(res.headers.get('dpop-nonce')).toBeNull();
    expect(lastMcpEntry(r.w)).toMatchObject({ decision: { kind: 'scheduled', index: 0, action: 'invalid-token' }, error: 'invalid_token' });
  });

  it('transient 503 with Retry-After: 1, and 429 without Retry-After (RFC 9449 §7.3)', async () => {
    const r = await ready({ mcp: { post: [{ kind: 'transient', status: 503, retryAfter: 1 }, { kind: 'transient', status: 429 }] } });
    const unavailable = await mcpInitialize(r.w, r.token, r.key);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect(unavailable.headers.get('www-authenticate')).toBeNull();
    expect(lastMcpEntry(r.w)).toMatchObject({
      decision: { kind: 'scheduled', index: 0, action: 'transient' },
      responseHeaders: { 'retry-after': '1' },
    });
    const tooMany = await mcpInitialize(r.w, r.token, r.key);
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get('retry-after')).toBeNull();
    expect(lastMcpEntry(r.w).responseHeaders).not.toHaveProperty('retry-after');
    expect(lastMcpEntry(r.w).decision).toEqual({ kind: 'scheduled', index: 1, action: 'transient' });
  });
});

describe('GET (SSE stream) and DELETE pass the same judge', () => {
  it('a GET with a session id and no proof → 401; with a proof → 200 event stream', async () => {
    const r = await ready();
    const sessionId = await session(r);
    const bare = await mcpRequest(r.w, { method: 'GET', token: r.token, key: null, sessionId });
    expectDpopError(bare, 401, 'invalid_dpop_proof');
    expect(lastMcpEntry(r.w)).toMatchObject({ method: 'GET', sessionId, decision: { reason: 'missing DPoP proof' } });

    const stream = await mcpRequest(r.w, { method: 'GET', token: r.token, key: r.key, sessionId });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.body?.cancel();
    expect(lastMcpEntry(r.w)).toMatchObject({ method: 'GET', status: 200, decision: { kind: 'scheduled', index: 0, action: 'ok' } });
    expect(lastMcpEntry(r.w).proof?.claims?.htm).toBe('GET');
  });

  it('a scheduled use-dpop-nonce for GET challenges the GET only', async () => {
    const r = await ready({ mcp: { get: [{ kind: 'use-dpop-nonce', nonce: 'g1' }] } });
    const sessionId = await session(r);
    const res = await mcpRequest(r.w, { method: 'GET', token: r.token, key: r.key, sessionId });
    expectDpopError(res, 401, 'use_dpop_nonce');
    expect(res.headers.get('dpop-nonce')).toBe('g1');
    expect(lastMcpEntry(r.w)).toMatchObject({ method: 'GET', decision: { kind: 'scheduled', index: 0, action: 'use-dpop-nonce' }, nonceDelivered: 'g1' });

    const retry = await mcpRequest(r.w, { method: 'GET', token: r.token, key: r.key, sessionId, nonce: 'g1' });
    expect(retry.status).toBe(200);
    await retry.body?.cancel();
    expect(lastMcpEntry(r.w).decision).toEqual({ kind: 'scheduled', index: 1, action: 'ok' });
  });

  it('DELETE ends the session; a POST with that session id → 404', async () => {
    const r = await ready();
    const sessionId = await session(r);
    const bare = await mcpRequest(r.w, { method: 'DELETE', token: r.token, key: null, sessionId });
    expectDpopError(bare, 401, 'invalid_dpop_proof');

    const del = await mcpRequest(r.w, { method: 'DELETE', token: r.token, key: r.key, sessionId });
    expect(del.status).toBe(200);
    await del.body?.cancel();
    expect(lastMcpEntry(r.w)).toMatchObject({ method: 'DELETE', sessionId, decision: { kind: 'scheduled', index: 0, action: 'ok' } });
    expect(lastMcpEntry(r.w).proof?.claims?.htm).toBe('DELETE');

    const after = await mcpRequest(r.w, { token: r.token, key: r.key, sessionId, body: { jsonrpc: '2.0', id: 2, method: 'ping' } });
    expect(after.status).toBe(404);
    await after.body?.cancel();
    expect(lastMcpEntry(r.w)).toMatchObject({ status: 404, sessionId });
  });
});

describe('the request cap (runaway clients)', () => {
  it('past maxRequests both servers answer 503 unrecorded, and onCap fires once', async () => {
    let capCalls = 0;
    const { w } = await start({}, { maxRequests: 2, onCap: () => capCalls++ });
    expect((await mcpRequest(w, { token: null, key: null })).status).toBe(401);
    expect((await fetch(`${w.asOrigin}/.well-known/oauth-authorization-server`)).status).toBe(200);
    expect((await mcpRequest(w, { token: null, key: null })).status).toBe(503);
    expect((await fetch(`${w.asOrigin}/.well-known/oauth-authorization-server`)).status).toBe(503);
    expect(capCalls).toBe(1);
    const trace = w.trace();
    expect(trace.capped).toBe(true);
    expect(trace.entries.map((e) => e.seq)).toEqual([0, 1]);
  });
});
