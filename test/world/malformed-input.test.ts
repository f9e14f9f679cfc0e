/**
 * Hostile input from a client under test must never crash the test servers
 * or the judge: each request is answered, recorded, and the judge names the
 * offending trace entry in its evidence (RFC 9449 §4.3 checks 1–2, §5, §7).
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { judge } from '../../src/checks/judge.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import { DEFAULT_JUDGE_OPTIONS } from '../../src/checks/types.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import type { Schedule } from '../../src/schedule/types.ts';
import type { ClientOutcome, TraceEntry } from '../../src/trace/types.ts';
import { startWorld, type World } from '../../src/world/world.ts';
import { buildProof, createTestKey, initializeMessage, mcpHtu, mcpInitialize, obtainToken, type ReadyWorld, type TestKey } from '../support/dpop-test-proofs.ts';

const FAILED_CLIENT: ClientOutcome = { exitCode: 1, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1 };
const MCP_PROOF_CHECK = 'sep-1932-client-fresh-proof';
const TOKEN_PROOF_CHECK = 'sep-1932-client-token-request-proof';

type Ready = ReadyWorld;

let world: World | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A world and a DPoP-bound token for a fresh key. */
async function ready(patch: Parameters<typeof scheduleWith>[0] = {}): Promise<Ready> {
  const schedule = scheduleWith(patch);
  world = await startWorld(schedule);
  const key = await createTestKey();
  const { accessToken } = await obtainToken(world, key);
  return { w: world, schedule, key, token: accessToken };
}

interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One request through node:http, which sends header fields exactly as given:
 * an array value becomes several fields (fetch would join them with ", ").
 */
function rawRequest(url: string, headers: Record<string, string | string[]>, body: string | Buffer[] = ''): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
    if (typeof body === 'string') {
      req.end(body);
    } else {
      // Chunked transfer coding: the server learns the size only by reading.
      for (const chunk of body) req.write(chunk);
      req.end();
    }
  });
}

/** Headers of a correct MCP POST (Streamable HTTP) with `Authorization: DPoP <token>`. */
async function mcpHeaders(r: Ready, dpop: string | string[] | null = null): Promise<Record<string, string | string[]>> {
  const proof = dpop ?? (await buildProof(r.key, { htm: 'POST', htu: mcpHtu(r.w), accessToken: r.token }));
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `DPoP ${r.token}`,
    dpop: proof,
  };
}

function onlyEntry(r: Ready, endpoint: 'mcp' | 'token', seqAbove = -1): TraceEntry {
  const entries = r.w.trace().entries.filter((e) => e.endpoint === endpoint && e.seq > seqAbove);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/** Closes the world, then judges its trace (never throwing is part of the contract). */
async function judged(r: Ready, outcome: ClientOutcome = FAILED_CLIENT): Promise<CheckResult[]> {
  await r.w.close();
  const input = { trace: r.w.trace(), schedule: r.schedule, outcome, options: DEFAULT_JUDGE_OPTIONS };
  let results: CheckResult[] = [];
  expect(() => {
    results = judge(input);
  }).not.toThrow();
  return results;
}

function check(results: readonly CheckResult[], id: string): CheckResult {
  const result = results.find((c) => c.id === id);
  if (!result) throw new Error(`check ${id} did not run`);
  return result;
}

/** Ids of the checks that fail and name `seq` in their evidence. */
function failuresNaming(results: readonly CheckResult[], seq: number): string[] {
  return results.filter((c) => c.status === 'FAILURE' && c.evidence.includes(seq)).map((c) => c.id);
}

function summary(results: readonly CheckResult[]): string {
  return results.map((c) => `${c.id}: ${c.status} [${c.evidence.join(',')}]`).join('; ');
}

/** The server still answers a correct request after the hostile one. */
async function expectStillServing(r: Ready): Promise<void> {
  const res = await mcpInitialize(r.w, r.token, r.key);
  expect(res.status).toBe(200);
  await res.body?.cancel();
}

function lastSeq(r: Ready): number {
  return r.w.trace().entries.at(-1)?.seq ?? -1;
}

describe('hostile DPoP headers at the MCP endpoint', () => {
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['garbage', 'garbage value!', /^jws: not a compact JWS/],
    ['three dots of nothing', '..', /^jws: not a compact JWS/],
    ['parts that are not JSON', 'abc.def.ghi', /^header: not a base64url-encoded JSON object/],
    ['a header that is a JSON array', `${b64([1])}.${b64({})}.`, /^header: not a base64url-encoded JSON object/],
    ['empty header and claims objects', `${b64({})}.${b64({})}.`, /^typ: missing/],
    ['claims that are a JSON string', `${b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC' } })}.${b64('x')}.AAAA`, /^jwk: not a valid public key/],
  ])('%s → 401 invalid_dpop_proof, judged', async (_name, value, problem) => {
    const r = await ready();
    const before = lastSeq(r);
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r, value), JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(/^DPoP error="invalid_dpop_proof"/);
    const entry = onlyEntry(r, 'mcp', before);
    expect(entry.proof?.problems[0]).toMatch(problem);
    expect(entry.decision).toMatchObject({ kind: 'rejected', error: 'invalid_dpop_proof' });
    await expectStillServing(r);
    expect(check(await judged(r), MCP_PROOF_CHECK)).toMatchObject({ status: 'FAILURE', evidence: expect.arrayContaining([entry.seq]) });
  });

  it('two DPoP header fields → 401 invalid_dpop_proof (§4.3 check 1), judged', async () => {
    const r = await ready();
    const htu = mcpHtu(r.w);
    const proofs = [
      await buildProof(r.key, { htm: 'POST', htu, accessToken: r.token }),
      await buildProof(r.key, { htm: 'POST', htu, accessToken: r.token }),
    ];
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r, proofs), JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(/error="invalid_dpop_proof"/);
    const entry = onlyEntry(r, 'mcp');
    expect(entry.proof).toMatchObject({ count: 2, raw: proofs[0] });
    expect(entry.proof?.problems[0]).toMatch(/^count: 2 DPoP header fields/);
    await expectStillServing(r);
    expect(check(await judged(r), MCP_PROOF_CHECK)).toMatchObject({ status: 'FAILURE', evidence: expect.arrayContaining([entry.seq]) });
  });

  it('a 20 KB DPoP value → 401 invalid_dpop_proof naming the length, judged', async () => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r, 'a'.repeat(20_480)), JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'invalid_dpop_proof' });
    const entry = onlyEntry(r, 'mcp');
    expect(entry.proof?.problems).toEqual([expect.stringMatching(/^length: 20480 characters/)]);
    expect(entry.proof?.raw.length).toBeLessThan(20_480);
    expect(entry.decision).toMatchObject({ reason: expect.stringMatching(/length/) });
    await expectStillServing(r);
    expect(check(await judged(r), MCP_PROOF_CHECK)).toMatchObject({ status: 'FAILURE', evidence: expect.arrayContaining([entry.seq]) });
  });

  it('a 100 KB header → 431 from Node before the app, recorded as refused', async () => {
    const r = await ready();
    const entriesBefore = r.w.trace().entries.length;
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r)), 'x-padding': 'p'.repeat(100_000) }, '{}');
    expect(reply.status).toBe(431);
    const trace = r.w.trace();
    expect(trace.entries).toHaveLength(entriesBefore);
    expect(trace.refused).toEqual([{ at: expect.any(Number), server: 'mcp', reason: 'HPE_HEADER_OVERFLOW' }]);
    await expectStillServing(r);
    const results = await judged(r);
    expect(results.length).toBeGreaterThan(0);
    expect(check(results, MCP_PROOF_CHECK).status).toBe('SUCCESS');
  });
});

describe('hostile Authorization headers at the MCP endpoint', () => {
  it('a scheme without a token → 400 invalid_request, recorded as malformed, judged', async () => {
    const r = await ready();
    const proof = await buildProof(r.key, { htm: 'POST', htu: mcpHtu(r.w) });
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r, proof)), authorization: 'DPoP' }, JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(400);
    expect(reply.headers['www-authenticate']).toMatch(/error="invalid_request"/);
    const entry = onlyEntry(r, 'mcp');
    expect(entry.authorization).toEqual({ kind: 'malformed', raw: 'DPoP' });
    expect(entry.decision).toEqual({ kind: 'rejected', error: 'invalid_request', reason: 'malformed Authorization header' });
    await expectStillServing(r);
    const results = await judged(r);
    // Some check must name the request that presented no token.
    expect(failuresNaming(results, entry.seq), `no check names #${entry.seq}: ${summary(results)}`).not.toEqual([]);
  });

  it('two spaces after the scheme are allowed (RFC 9110 §11.4: 1*SP) and not reported', async () => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r)), authorization: `DPoP  ${r.token}` }, JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(200);
    const entry = onlyEntry(r, 'mcp');
    expect(entry.authorization).toEqual({ kind: 'credentials', scheme: 'DPoP', token: r.token, tokenId: 't0' });
    // A client that finished: only what it sent is judged.
    const results = await judged(r, { ...FAILED_CLIENT, exitCode: 0 });
    expect(check(results, MCP_PROOF_CHECK)).toMatchObject({ status: 'SUCCESS', evidence: [entry.seq] });
    expect(failuresNaming(results, entry.seq)).toEqual([]);
  });

  it('an Authorization value with an inner space → 400 invalid_request', async () => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r)), authorization: `DPoP ${r.token} extra` }, JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(400);
    expect(onlyEntry(r, 'mcp').authorization).toMatchObject({ kind: 'malformed' });
    await expectStillServing(r);
    await judged(r);
  });

  it('two Authorization fields → 400 invalid_request, recorded as malformed', async () => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r)), authorization: [`DPoP ${r.token}`, `DPoP ${r.token}`] }, JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(400);
    const auth = onlyEntry(r, 'mcp').authorization;
    expect(auth.kind).toBe('malformed');
    // Both fields are kept, joined and capped for the trace.
    expect(auth.kind === 'malformed' ? auth.raw : '').toBe(`DPoP ${r.token}, DPoP ${r.token}`.slice(0, 200));
    await expectStillServing(r);
    await judged(r);
  });

  it('DPoP with a JWT-looking garbage token → 401 invalid_token, judged', async () => {
    const r = await ready();
    const garbage = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJub2JvZHkifQ.bm90LWEtc2lnbmF0dXJl';
    const proof = await buildProof(r.key, { htm: 'POST', htu: mcpHtu(r.w), accessToken: garbage });
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r, proof)), authorization: `DPoP ${garbage}` }, JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    const entry = onlyEntry(r, 'mcp');
    expect(entry.authorization).toEqual({ kind: 'credentials', scheme: 'DPoP', token: garbage, tokenId: null });
    expect(entry.decision).toEqual({ kind: 'rejected', error: 'invalid_token', reason: 'unknown access token' });
    await expectStillServing(r);
    const results = await judged(r);
    // A token unrelated to any this run issued may come from an earlier run (a persistent cache):
    // the server refuses it and the client's recovery is what is judged, not the stale attempt.
    expect(failuresNaming(results, entry.seq), summary(results)).toEqual([]);
    expect(check(results, 'sep-1932-client-bound-token-used').status).not.toBe('FAILURE');
  });

  it('DPoP with a re-encoded copy of the issued token (base64 → base64url) → 401 invalid_token, named as altered', async () => {
    const r = await ready({ as: { accessTokens: { kind: 'opaque', stem: 'a+b/c', padding: 1 } } });
    const altered = r.token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const proof = await buildProof(r.key, { htm: 'POST', htu: mcpHtu(r.w), accessToken: altered });
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r, proof)), authorization: `DPoP ${altered}` }, JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(401);
    const entry = onlyEntry(r, 'mcp');
    const results = await judged(r);
    expect(check(results, 'sep-1932-client-bound-token-used')).toMatchObject({ status: 'FAILURE', evidence: expect.arrayContaining([entry.seq]) });
  });
});

describe('hostile bodies at the MCP endpoint (after valid authentication)', () => {
  it('text/plain with a non-JSON body → the SDK answers 415, recorded, server still serving', async () => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, { ...(await mcpHeaders(r)), 'content-type': 'text/plain' }, 'this is {not json');
    expect(reply.status).toBe(415);
    const entry = onlyEntry(r, 'mcp');
    expect(entry).toMatchObject({ status: 415, rpc: [], decision: { kind: 'scheduled', index: 0, action: 'ok' }, issuedSessionId: null });
    await expectStillServing(r);
    // The proof was fine: no proof check may blame this request.
    expect(check(await judged(r), MCP_PROOF_CHECK).status).toBe('SUCCESS');
  });

  it.each([
    ['a JSON number', '42'],
    ['a truncated JSON object', '{"jsonrpc":"2.0","id":1,"method":"initia'],
    ['an empty JSON array', '[]'],
  ])('%s as the body → a 4xx from the SDK, recorded', async (_name, body) => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r), body);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(onlyEntry(r, 'mcp')).toMatchObject({ status: reply.status, rpc: [] });
    await expectStillServing(r);
    await judged(r);
  });

  it('a 2 MB body with Content-Length → 400 invalid_request (too large)', async () => {
    const r = await ready();
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r), 'x'.repeat(2 * 1024 * 1024));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'invalid_request', error_description: 'request body too large' });
    expect(onlyEntry(r, 'mcp').decision).toEqual({ kind: 'rejected', error: 'invalid_request', reason: 'request body too large' });
    await expectStillServing(r);
    await judged(r);
  });

  it('a 2 MB chunked body (no Content-Length) → 400 invalid_request (too large)', async () => {
    const r = await ready();
    const chunks = Array.from({ length: 32 }, () => Buffer.alloc(64 * 1024, 0x78));
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r), chunks);
    expect(reply.status).toBe(400);
    expect(onlyEntry(r, 'mcp').decision).toEqual({ kind: 'rejected', error: 'invalid_request', reason: 'request body too large' });
    await expectStillServing(r);
    await judged(r);
  });
});

describe('hostile DPoP headers at the token endpoint', () => {
  const form = 'grant_type=authorization_code&code=unknown&code_verifier=x';
  const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

  it.each([
    ['garbage', (): string => 'garbage value!', /^jws: not a compact JWS/],
    ['20 KB', (): string => 'a'.repeat(20_480), /^length: 20480 characters/],
  ])('%s → 400 invalid_dpop_proof, judged', async (_name, value, problem) => {
    const r = await ready();
    const reply = await rawRequest(r.w.trace().tokenEndpoint, { ...formHeaders, dpop: value() }, form);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'invalid_dpop_proof' });
    const entry = r.w.trace().entries.at(-1)!;
    expect(entry).toMatchObject({ endpoint: 'token', error: 'invalid_dpop_proof' });
    expect(entry.proof?.problems[0]).toMatch(problem);
    const result = check(await judged(r), TOKEN_PROOF_CHECK);
    expect(result).toMatchObject({ status: 'FAILURE', evidence: [entry.seq] });
  });

  it('two DPoP header fields → 400 invalid_dpop_proof, judged', async () => {
    const r = await ready();
    const tokenEndpoint = r.w.trace().tokenEndpoint;
    const proofs = [await buildProof(r.key, { htm: 'POST', htu: tokenEndpoint }), await buildProof(r.key, { htm: 'POST', htu: tokenEndpoint })];
    const reply = await rawRequest(tokenEndpoint, { ...formHeaders, dpop: proofs }, form);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'invalid_dpop_proof', error_description: expect.stringMatching(/^count: 2/) });
    const entry = r.w.trace().entries.at(-1)!;
    expect(entry.proof?.count).toBe(2);
    expect(check(await judged(r), TOKEN_PROOF_CHECK)).toMatchObject({ status: 'FAILURE', evidence: [entry.seq] });
  });
});

describe('hostile claim values echoed in the challenge (RFC 6750 §3)', () => {
  /** RFC 6750 §3: error_description uses only %x20-21 / %x23-5B / %x5D-7E. */
  const DESCRIPTION_CHARS = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

  /** error_description as sent on the wire (quoted-string, escapes kept). */
  function rawDescription(challenge: string): string | undefined {
    return /error_description="((?:[^"\\]|\\.)*)"/.exec(challenge)?.[1];
  }

  it.each([
    ['outside Latin-1 (U+2603)', '\u2603'],
    ['DEL (%x7F)', '\x7f'],
  ])('a typ %s → 401 invalid_dpop_proof on the wire and in the trace, judged', async (_name, typ) => {
    const r = await ready();
    const proof = await buildProof(r.key, { htm: 'POST', htu: mcpHtu(r.w), accessToken: r.token }, { header: { typ } });
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r, proof), JSON.stringify(initializeMessage()));
    const entry = onlyEntry(r, 'mcp');
    expect(entry.proof?.problems[0]).toMatch(/^typ: expected dpop\+jwt/);
    // The trace must record what the client actually received.
    expect(entry.status).toBe(reply.status);
    expect(reply.status).toBe(401);
    expect(entry.decision).toMatchObject({ kind: 'rejected', error: 'invalid_dpop_proof' });
    await expectStillServing(r);
    expect(check(await judged(r), MCP_PROOF_CHECK)).toMatchObject({ status: 'FAILURE', evidence: expect.arrayContaining([entry.seq]) });
  });

  it('the error_description of an htm mismatch stays within the RFC 6750 §3 character set', async () => {
    const r = await ready();
    const proof = await buildProof(r.key, { htm: 'GET', htu: mcpHtu(r.w), accessToken: r.token });
    const reply = await rawRequest(r.w.mcpUrl, await mcpHeaders(r, proof), JSON.stringify(initializeMessage()));
    expect(reply.status).toBe(401);
    const challenge = String(reply.headers['www-authenticate']);
    expect(challenge).toMatch(/error="invalid_dpop_proof"/);
    const description = rawDescription(challenge);
    expect(description).toBeDefined();
    expect(description).toMatch(DESCRIPTION_CHARS);
  });
});
