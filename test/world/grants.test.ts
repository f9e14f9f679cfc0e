/**
 * The authorization server's grants (RFC 6749 §4.1.2, §6; RFC 9700 §4.14.2;
 * RFC 9449 §10), algorithm enforcement (RFC 9449 §5.1) and the third origin
 * that cross-origin redirects lead to — each on the wire and in the trace.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/world/world.ts';
import { authorize, buildProof, codeForm, createTestKey, mcpInitialize, mcpRequest, obtainToken, postToken, type TestKey } from '../support/dpop-test-proofs.ts';
import { lastEntry, start } from './support/world-harness.ts';

async function refreshWith(w: World, refreshToken: string, key: TestKey) {
  const meta = (await (await fetch(`${w.asOrigin}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string };
  const proof = await buildProof(key, { htm: 'POST', htu: meta.token_endpoint });
  return postToken(meta.token_endpoint, { grant_type: 'refresh_token', refresh_token: refreshToken }, proof);
}

async function accepted(w: World, token: string, key: TestKey): Promise<number> {
  const res = await mcpInitialize(w, token, key);
  await res.body?.cancel();
  return res.status;
}

describe('grant reuse revokes the token family', () => {
  it('a rotated refresh token that comes back → 400 invalid_grant, and every token of its family is refused', async () => {
    const { w } = await start();
    const key = await createTestKey();
    const first = await obtainToken(w, key);
    const rotated = await refreshWith(w, first.refreshToken!, key);
    expect(rotated.status).toBe(200);
    const second = String(rotated.body.access_token);
    expect(await accepted(w, second, key)).toBe(200);
    const reused = await refreshWith(w, first.refreshToken!, key);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    expect(lastEntry(w).decision).toMatchObject({ kind: 'rejected', error: 'invalid_grant', reason: expect.stringMatching(/rotated/) });
    // RFC 9700 §4.14.2: the whole family, the newest refresh token and access token included.
    expect(await accepted(w, second, key)).toBe(401);
    expect(lastEntry(w).decision).toMatchObject({ kind: 'rejected', error: 'invalid_token', reason: expect.stringMatching(/revoked/) });
    expect((await refreshWith(w, String(rotated.body.refresh_token), key)).body.error).toBe('invalid_grant');
    const families = w.trace().tokens.map((t) => t.family);
    expect(new Set(families).size).toBe(1);
  });

  it('a code redeemed twice → 400 invalid_grant, and the token issued for it is revoked (RFC 6749 §4.1.2)', async () => {
    const { w } = await start();
    const key = await createTestKey();
    const client = await authorize(w);
    const proof = () => buildProof(key, { htm: 'POST', htu: client.tokenEndpoint });
    const issued = await postToken(client.tokenEndpoint, codeForm(client), await proof());
    expect(issued.status).toBe(200);
    const again = await postToken(client.tokenEndpoint, codeForm(client), await proof());
    expect(again.body.error).toBe('invalid_grant');
    expect(await accepted(w, String(issued.body.access_token), key)).toBe(401);
  });

  it('a fresh authorization starts a new family that stays valid', async () => {
    const { w } = await start();
    const key = await createTestKey();
    const first = await obtainToken(w, key);
    await refreshWith(w, first.refreshToken!, key);
    await refreshWith(w, first.refreshToken!, key);
    const fresh = await obtainToken(w, key);
    expect(await accepted(w, fresh.accessToken, key)).toBe(200);
  });
});

describe('dpop_jkt (RFC 9449 §10)', () => {
  it('binds the code: the exchange is accepted only with a proof of that key', async () => {
    const { w } = await start();
    const key = await createTestKey();
    const other = await createTestKey();
    const client = await authorize(w, { dpopJkt: key.jkt });
    const wrong = await postToken(client.tokenEndpoint, codeForm(client), await buildProof(other, { htm: 'POST', htu: client.tokenEndpoint }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_request');
    expect(lastEntry(w).decision).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/dpop_jkt/) });
    const right = await postToken(client.tokenEndpoint, codeForm(client), await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint }));
    expect(right.status).toBe(200);
  });
});

describe('as.enforceAlgs (RFC 9449 §5.1)', () => {
  it('both servers refuse a proof signed with an algorithm they did not advertise', async () => {
    const { w } = await start({ as: { algs: ['EdDSA'], enforceAlgs: true } });
    const es256 = await createTestKey('ES256');
    await expect(obtainToken(w, es256)).rejects.toThrow(/invalid_dpop_proof/);
    expect(lastEntry(w).decision).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/alg ES256 is not in dpop_signing_alg_values_supported \[EdDSA\]/) });
    const eddsa = await createTestKey('EdDSA');
    const { accessToken } = await obtainToken(w, eddsa);
    expect(await accepted(w, accessToken, eddsa)).toBe(200);
  });

  it('without it, an unadvertised asymmetric algorithm is accepted and left to the judge', async () => {
    const { w } = await start({ as: { algs: ['EdDSA'] } });
    const es256 = await createTestKey('ES256');
    const { accessToken } = await obtainToken(w, es256);
    expect(await accepted(w, accessToken, es256)).toBe(200);
  });
});

describe('redirects to another origin', () => {
  it('an authenticated POST answered redirect-elsewhere: 307 to a third listener that records what arrives and serves nothing', async () => {
    const { w } = await start({ mcp: { query: 'a=1', post: [{ kind: 'redirect-elsewhere', status: 307 }] } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const hop = await fetch(w.mcpUrl, { method: 'POST', redirect: 'manual', headers: { authorization: `DPoP ${accessToken}`, dpop: await buildProof(key, { htm: 'POST', htu: w.mcpUrl.split('?')[0]!, accessToken }), 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(hop.status).toBe(307);
    const location = new URL(hop.headers.get('location')!);
    const trace = w.trace();
    expect(location.origin).toBe(trace.elsewhereOrigin);
    expect(location.origin).not.toBe(new URL(w.mcpUrl).origin);
    expect(`${location.pathname}${location.search}`).toBe('/mcp?a=1');
    const there = await fetch(location, { method: 'POST', headers: { authorization: `DPoP ${accessToken}` }, body: '{}' });
    expect(there.status).toBe(404);
    expect(lastEntry(w)).toMatchObject({ server: 'elsewhere', endpoint: 'other', authorization: { kind: 'credentials', tokenId: 't0' } });
  });

  it('a token endpoint behind a cross-origin 308 points there too; no third listener without such a redirect', async () => {
    const { w } = await start({ as: { tokenRedirect: { status: 308, crossOrigin: true } } });
    const meta = (await (await fetch(`${w.asOrigin}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string };
    const hop = await fetch(meta.token_endpoint, { method: 'POST', redirect: 'manual' });
    expect(hop.status).toBe(308);
    expect(new URL(hop.headers.get('location')!).origin).toBe(w.trace().elsewhereOrigin);
    const { w: plain } = await start();
    expect(plain.trace().elsewhereOrigin).toBeNull();
  });

  it('redirect-elsewhere is an action for accepted requests: an unauthenticated one still gets the 401 challenge', async () => {
    const { w } = await start({ mcp: { post: [{ kind: 'redirect-elsewhere', status: 308 }] } });
    const res = await mcpRequest(w, { token: null, key: null });
    expect(res.status).toBe(401);
  });
});
