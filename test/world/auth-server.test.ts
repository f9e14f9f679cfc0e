/**
 * The test authorization server (src/world/auth-server.ts), one rule at a
 * time: the HTTP answer (status, `error`, `DPoP-Nonce`, `Cache-Control`) and
 * the trace entry it records must agree (RFC 9449 §5, §8; RFC 6749 §5).
 */
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import type { TraceEntry } from '../../src/trace/types.ts';
import { startWorld, type World } from '../../src/world/world.ts';
import {
  authorize,
  buildProof,
  codeForm,
  createTestKey,
  discover,
  obtainToken,
  postToken,
  type AuthorizedClient,
  type ProofOverrides,
  type TestKey,
  type TokenReply,
} from '../support/dpop-test-proofs.ts';

type SchedulePatch = Parameters<typeof scheduleWith>[0];

let world: World | undefined;
/** The servers' clock, pinned to a whole second so iat skews are exact. */
let nowSeconds = 0;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function start(patch: SchedulePatch = {}): Promise<World> {
  nowSeconds = Math.floor(Date.now() / 1000);
  world = await startWorld(scheduleWith(patch), { now: () => nowSeconds * 1000 });
  return world;
}

/** Token endpoint entries, in arrival order. */
function tokenEntries(w: World): TraceEntry[] {
  return w.trace().entries.filter((e) => e.endpoint === 'token');
}

function lastTokenEntry(w: World): TraceEntry {
  const entry = tokenEntries(w).at(-1);
  if (!entry) throw new Error('no token request was recorded');
  return entry;
}

/** Redeems the client's code with a proof by `key` (RFC 9449 §5). */
async function redeem(client: AuthorizedClient, key: TestKey, options: { nonce?: string; overrides?: ProofOverrides } = {}): Promise<TokenReply> {
  const proof = await buildProof(
    key,
    { htm: 'POST', htu: client.tokenEndpoint, ...(options.nonce !== undefined ? { nonce: options.nonce } : {}) },
    options.overrides,
  );
  return postToken(client.tokenEndpoint, codeForm(client), proof);
}

/** An RFC 6749 §6 refresh request with a proof by `key`. */
async function refresh(w: World, refreshToken: string, key: TestKey, nonce?: string): Promise<TokenReply> {
  const tokenEndpoint = w.trace().tokenEndpoint;
  const proof = await buildProof(key, { htm: 'POST', htu: tokenEndpoint, ...(nonce !== undefined ? { nonce } : {}) });
  return postToken(tokenEndpoint, { grant_type: 'refresh_token', refresh_token: refreshToken }, proof);
}

function expectOAuthError(reply: TokenReply, error: string): void {
  expect(reply.status).toBe(400);
  expect(reply.body.error).toBe(error);
  // RFC 6749 §5.2 with §5.1: token endpoint answers are not cached.
  expect(reply.headers.get('cache-control')).toBe('no-store');
}

describe('metadata (RFC 8414, RFC 9449 §5.1)', () => {
  it('advertises dpop_signing_alg_values_supported from the schedule', async () => {
    const w = await start({ as: { algs: ['EdDSA', 'PS256'] } });
    const meta = await discover(w);
    expect(meta.dpop_signing_alg_values_supported).toEqual(['EdDSA', 'PS256']);
    expect(meta.token_endpoint).toBe(`${w.asOrigin}/token`);
    expect(meta.issuer).toBe(w.asOrigin);
    const entry = w.trace().entries[0];
    expect(entry).toMatchObject({ seq: 0, server: 'as', endpoint: 'as-metadata', status: 200, decision: { kind: 'served' } });
  });

  it('leaves dpop_signing_alg_values_supported out of both metadata documents when the schedule has no list', async () => {
    const w = await start({ as: { algs: null, enforceAlgs: true } });
    const meta = await discover(w);
    expect(meta).not.toHaveProperty('dpop_signing_alg_values_supported');
    expect(meta.token_endpoint).toBe(`${w.asOrigin}/token`);
    // Nothing advertised, nothing enforced: an EdDSA proof gets a token.
    const key = await createTestKey('EdDSA');
    expect((await obtainToken(w, key)).status).toBe(200);
  });

  it('serves the token endpoint at the scheduled path', async () => {
    const w = await start({ as: { tokenPath: '/oauth2/token' } });
    expect((await discover(w)).token_endpoint).toBe(`${w.asOrigin}/oauth2/token`);
    const key = await createTestKey();
    expect((await obtainToken(w, key)).status).toBe(200);
  });
});

describe('a valid token request (RFC 9449 §5, §6.1)', () => {
  it.each(['ES256', 'EdDSA'] as const)('answers 200 with a token bound to the %s proof key', async (alg) => {
    const w = await start();
    const key = await createTestKey(alg);
    const client = await authorize(w);
    const reply = await redeem(client, key);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('dpop-nonce')).toBeNull();
    expect(reply.body.token_type).toBe('DPoP');
    expect(reply.body.expires_in).toBe(3600);
    expect(typeof reply.body.refresh_token).toBe('string');
    const claims = decodeJwt(String(reply.body.access_token));
    expect(claims.cnf).toEqual({ jkt: key.jkt });
    expect(claims.aud).toBe(w.mcpUrl);

    const entry = lastTokenEntry(w);
    expect(entry).toMatchObject({
      method: 'POST',
      status: 200,
      decision: { kind: 'scheduled', index: 0, action: 'ok' },
      error: null,
      nonceDelivered: null,
      issuedTokenId: 't0',
      grant: { type: 'authorization_code', code: client.code, refreshToken: null },
    });
    expect(entry.proof?.problems).toEqual([]);
    expect(entry.proof?.jkt).toBe(key.jkt);
    expect(w.trace().tokens).toEqual([
      expect.objectContaining({ id: 't0', accessToken: reply.body.access_token, tokenType: 'DPoP', jkt: key.jkt, seq: entry.seq, grantType: 'authorization_code' }),
    ]);
  });

  it('answers token_type exactly as scheduled (RFC 6749 §5.1)', async () => {
    const w = await start({ as: { tokenType: 'dpop', tokenLifetime: 60, refreshTokens: false } });
    const key = await createTestKey();
    const token = await obtainToken(w, key);
    expect(token.body.token_type).toBe('dpop');
    expect(token.body.expires_in).toBe(60);
    expect(token.refreshToken).toBeNull();
    expect(decodeJwt(token.accessToken).cnf).toEqual({ jkt: key.jkt });
  });

  it('does not bind a token it answers as Bearer (no cnf)', async () => {
    const w = await start({ as: { tokenType: 'Bearer' } });
    const token = await obtainToken(w, await createTestKey());
    expect(token.body.token_type).toBe('Bearer');
    expect(decodeJwt(token.accessToken)).not.toHaveProperty('cnf');
    expect(w.trace().tokens[0]).toMatchObject({ tokenType: 'Bearer', jkt: null });
  });
});

describe('nonces (RFC 9449 §8)', () => {
  it('scheduled use-dpop-nonce: 400 with DPoP-Nonce, and the retry with that nonce gets a token', async () => {
    const nonce = 'as:n1,=;';
    const w = await start({ as: { tokenRequests: [{ kind: 'use-dpop-nonce', nonce }] } });
    const key = await createTestKey();
    const client = await authorize(w);

    const first = await redeem(client, key);
    expectOAuthError(first, 'use_dpop_nonce');
    expect(first.headers.get('dpop-nonce')).toBe(nonce);
    expect(lastTokenEntry(w)).toMatchObject({
      status: 400,
      decision: { kind: 'scheduled', index: 0, action: 'use-dpop-nonce' },
      error: 'use_dpop_nonce',
      nonceDelivered: nonce,
      issuedTokenId: null,
    });

    const retry = await redeem(client, key, { nonce });
    expect(retry.status).toBe(200);
    expect(lastTokenEntry(w)).toMatchObject({
      status: 200,
      decision: { kind: 'scheduled', index: 1, action: 'ok' },
      error: null,
      issuedTokenId: 't0',
    });
    expect(w.trace().nonces).toEqual([{ server: 'as', value: nonce, seq: tokenEntries(w)[0]!.seq, generation: 0 }]);
  });

  it('initialNonce: the first request is challenged by policy, so is a retry with a wrong nonce', async () => {
    const w = await start({ as: { initialNonce: 'as-nonce-0' } });
    const key = await createTestKey();
    const client = await authorize(w);

    const first = await redeem(client, key);
    expectOAuthError(first, 'use_dpop_nonce');
    expect(first.headers.get('dpop-nonce')).toBe('as-nonce-0');
    expect(lastTokenEntry(w)).toMatchObject({
      decision: { kind: 'nonce-required', nonce: 'as-nonce-0' },
      error: 'use_dpop_nonce',
      nonceDelivered: 'as-nonce-0',
    });

    const wrong = await redeem(client, key, { nonce: 'as-nonce-1' });
    expectOAuthError(wrong, 'use_dpop_nonce');
    expect(wrong.headers.get('dpop-nonce')).toBe('as-nonce-0');
    expect(lastTokenEntry(w).decision).toEqual({ kind: 'nonce-required', nonce: 'as-nonce-0' });

    const right = await redeem(client, key, { nonce: 'as-nonce-0' });
    expect(right.status).toBe(200);
    // Policy challenges consume no scheduled action.
    expect(lastTokenEntry(w).decision).toEqual({ kind: 'scheduled', index: 0, action: 'ok' });
  });

  it('scheduled ok-new-nonce: 200 with DPoP-Nonce, which the next request must carry (§8.2)', async () => {
    const w = await start({ as: { tokenRequests: [{ kind: 'ok-new-nonce', nonce: 'as-fresh-1' }] } });
    const key = await createTestKey();
    const token = await obtainToken(w, key);
    expect(token.headers.get('dpop-nonce')).toBe('as-fresh-1');
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(lastTokenEntry(w)).toMatchObject({
      status: 200,
      decision: { kind: 'scheduled', index: 0, action: 'ok-new-nonce' },
      nonceDelivered: 'as-fresh-1',
      issuedTokenId: 't0',
    });

    const withoutNonce = await refresh(w, token.refreshToken!, key);
    expectOAuthError(withoutNonce, 'use_dpop_nonce');
    expect(lastTokenEntry(w).decision).toEqual({ kind: 'nonce-required', nonce: 'as-fresh-1' });
    expect((await refresh(w, token.refreshToken!, key, 'as-fresh-1')).status).toBe(200);
  });
});

describe('scheduled invalid_dpop_proof (RFC 9449 §5)', () => {
  it('from the list: 400, and the code is still redeemable afterwards', async () => {
    const w = await start({ as: { tokenRequests: [{ kind: 'invalid-dpop-proof' }] } });
    const key = await createTestKey();
    const client = await authorize(w);
    const rejected = await redeem(client, key);
    expectOAuthError(rejected, 'invalid_dpop_proof');
    expect(lastTokenEntry(w)).toMatchObject({
      decision: { kind: 'scheduled', index: 0, action: 'invalid-dpop-proof' },
      error: 'invalid_dpop_proof',
      issuedTokenId: null,
    });
    expect((await redeem(client, key)).status).toBe(200);
  });

  it('from the then rule: every request past the list is rejected', async () => {
    const w = await start({ as: { tokenRequests: [{ kind: 'ok' }], then: { kind: 'invalid-dpop-proof' } } });
    const key = await createTestKey();
    const token = await obtainToken(w, key);
    const rejected = await refresh(w, token.refreshToken!, key);
    expectOAuthError(rejected, 'invalid_dpop_proof');
    expect(lastTokenEntry(w).decision).toEqual({ kind: 'scheduled', index: 1, action: 'invalid-dpop-proof' });
    expect(w.trace().tokens).toHaveLength(1);
  });
});

describe('proofs the token endpoint rejects (RFC 9449 §4.3)', () => {
  type Case = { name: string; overrides: ProofOverrides | null | (() => ProofOverrides); reason: RegExp; structural: boolean };
  const cases: Case[] = [
    { name: 'no proof', overrides: null, reason: /^missing DPoP proof$/, structural: false },
    { name: 'typ JWT', overrides: { header: { typ: 'JWT' } }, reason: /^typ: expected dpop\+jwt, got JWT/, structural: true },
    { name: 'alg none', overrides: { header: { alg: 'none' } }, reason: /^alg: none is not allowed$/, structural: true },
    { name: 'a bad signature', overrides: { badSignature: true }, reason: /^signature: does not verify/, structural: true },
    { name: 'htm GET', overrides: { claims: { htm: 'GET' } }, reason: /htm claim "GET" does not match the request method "POST"/, structural: false },
    { name: 'htu of another URL', overrides: { claims: { htu: 'http://127.0.0.1:1/token' } }, reason: /htu claim .* does not match the request URI/, structural: false },
    { name: 'iat 10 minutes old', overrides: () => ({ claims: { iat: nowSeconds - 600 } }), reason: /iat claim \d+ is 600s in the past \(window ±300s\)/, structural: false },
    { name: 'no jti', overrides: { claims: { jti: undefined } }, reason: /jti claim is missing/, structural: false },
  ];

  it.each(cases)('$name → 400 invalid_dpop_proof with the reason in the trace', async ({ overrides, reason, structural }) => {
    const w = await start();
    const key = await createTestKey();
    const client = await authorize(w);
    const proof =
      overrides === null ? null : await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint }, typeof overrides === 'function' ? overrides() : overrides);
    const reply = await postToken(client.tokenEndpoint, codeForm(client), proof);
    expectOAuthError(reply, 'invalid_dpop_proof');
    expect(reply.headers.get('dpop-nonce')).toBeNull();
    // RFC 6749 Appendix A.2: the body's description keeps to its character set; the trace keeps the exact reason.
    expect(String(reply.body.error_description)).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);

    const entry = lastTokenEntry(w);
    expect(entry.error).toBe('invalid_dpop_proof');
    expect(entry.issuedTokenId).toBeNull();
    expect(entry.decision).toEqual({ kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(reason) });
    if (overrides === null) expect(entry.proof).toBeNull();
    else if (structural) expect(entry.proof?.problems[0]).toMatch(reason);
    else expect(entry.proof?.problems).toEqual([]);
    expect(w.trace().tokens).toEqual([]);

    // A rejected request consumes neither the code nor a scheduled action.
    expect((await redeem(client, key)).status).toBe(200);
    expect(lastTokenEntry(w).decision).toEqual({ kind: 'scheduled', index: 0, action: 'ok' });
  });

  it('a replayed jti → 400 invalid_dpop_proof (RFC 9449 §11.1)', async () => {
    const w = await start();
    const key = await createTestKey();
    const first = await redeem(await authorize(w), key, { overrides: { claims: { jti: 'same-jti' } } });
    expect(first.status).toBe(200);
    const replay = await redeem(await authorize(w), key, { overrides: { claims: { jti: 'same-jti' } } });
    expectOAuthError(replay, 'invalid_dpop_proof');
    expect(lastTokenEntry(w).decision).toEqual({ kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(/^jti-replayed/) });
  });
});

describe('legal proof spellings (RFC 7515 §4.1.9)', () => {
  it.each(['application/dpop+jwt', 'DPoP+JWT'])('typ %s names the dpop+jwt media type: accepted, and only noted', async (typ) => {
    const w = await start();
    const key = await createTestKey();
    const reply = await redeem(await authorize(w), key, { overrides: { header: { typ } } });
    expect(reply.status).toBe(200);
    const entry = lastTokenEntry(w);
    expect(entry.proof?.problems).toEqual([]);
    expect(entry.proof?.notes).toEqual([expect.stringContaining('RFC 7515 §4.1.9')]);
  });
});

describe('requests that are not acceptable token requests (RFC 6749 §3.2, §5.2)', () => {
  it('a JSON body → 400 invalid_request', async () => {
    const w = await start();
    const key = await createTestKey();
    const client = await authorize(w);
    const proof = await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint });
    const reply = await postToken(client.tokenEndpoint, codeForm(client), proof, 'application/json');
    expectOAuthError(reply, 'invalid_request');
    expect(lastTokenEntry(w)).toMatchObject({
      error: 'invalid_request',
      decision: { kind: 'rejected', error: 'invalid_request', reason: expect.stringMatching(/x-www-form-urlencoded/) },
    });
  });

  it('refresh_token grant: 200 with the same key, 400 invalid_grant with another key (RFC 9449 §5)', async () => {
    const w = await start();
    const key = await createTestKey();
    const first = await obtainToken(w, key);
    const refreshed = await refresh(w, first.refreshToken!, key);
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(String(refreshed.body.access_token)).cnf).toEqual({ jkt: key.jkt });
    expect(lastTokenEntry(w)).toMatchObject({
      decision: { kind: 'scheduled', index: 1, action: 'ok' },
      issuedTokenId: 't1',
      grant: { type: 'refresh_token', code: null, refreshToken: first.refreshToken },
    });
    expect(w.trace().tokens[1]).toMatchObject({ grantType: 'refresh_token', jkt: key.jkt });

    const second = await obtainToken(w, key);
    const stolen = await refresh(w, second.refreshToken!, await createTestKey());
    expectOAuthError(stolen, 'invalid_grant');
    expect(lastTokenEntry(w)).toMatchObject({
      error: 'invalid_grant',
      issuedTokenId: null,
      decision: { kind: 'rejected', error: 'invalid_grant', reason: expect.stringMatching(/refresh proof key differs/) },
    });
  });

  it('a refresh token is single-use', async () => {
    const w = await start();
    const key = await createTestKey();
    const token = await obtainToken(w, key);
    expect((await refresh(w, token.refreshToken!, key)).status).toBe(200);
    expectOAuthError(await refresh(w, token.refreshToken!, key), 'invalid_grant');
  });

  it('a used authorization code → 400 invalid_grant', async () => {
    const w = await start();
    const key = await createTestKey();
    const client = await authorize(w);
    expect((await redeem(client, key)).status).toBe(200);
    const again = await redeem(client, key);
    expectOAuthError(again, 'invalid_grant');
    expect(lastTokenEntry(w)).toMatchObject({
      grant: { type: 'authorization_code', code: client.code },
      decision: { kind: 'rejected', error: 'invalid_grant', reason: expect.stringMatching(/authorization code already used/) },
    });
  });

  it('a wrong PKCE verifier → 400 invalid_grant (RFC 7636 §4.6)', async () => {
    const w = await start();
    const key = await createTestKey();
    const client = await authorize(w);
    const reply = await redeem({ ...client, codeVerifier: 'x'.repeat(43) }, key);
    expectOAuthError(reply, 'invalid_grant');
    expect(lastTokenEntry(w).decision).toMatchObject({ reason: 'PKCE verification failed' });
  });

  it('an unsupported grant type → 400 unsupported_grant_type (RFC 6749 §5.2)', async () => {
    const w = await start();
    const key = await createTestKey();
    const tokenEndpoint = w.trace().tokenEndpoint;
    const proof = await buildProof(key, { htm: 'POST', htu: tokenEndpoint });
    const reply = await postToken(tokenEndpoint, { grant_type: 'password', username: 'u', password: 'p' }, proof);
    expect(reply.status).toBe(400);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(lastTokenEntry(w)).toMatchObject({ grant: { type: 'password' }, issuedTokenId: null });
    expect(lastTokenEntry(w).decision).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/password/) });
    expect(reply.body.error).toBe('unsupported_grant_type');
    expect(lastTokenEntry(w).error).toBe('unsupported_grant_type');
  });

  it('GET on the token endpoint → 405, recorded', async () => {
    const w = await start();
    const res = await fetch(w.trace().tokenEndpoint);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(lastTokenEntry(w)).toMatchObject({ method: 'GET', status: 405, error: 'invalid_request' });
  });
});
