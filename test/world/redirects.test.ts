/**
 * Redirects in front of the token endpoint (`as.tokenRedirect`) and the MCP
 * endpoint (`mcp.redirect`): RFC 9110 §15.4.8 (307) and §15.4.9 (308) keep
 * the method and body. The redirecting hop is recorded like any request but
 * judges nothing, so a proof sent to it is not consumed; the endpoint it
 * leads to judges every proof against its own URL (RFC 9449 §4.3 check 9).
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../src/world/world.ts';
import {
  authorize,
  buildProof,
  codeForm,
  createTestKey,
  discover,
  initializeMessage,
  obtainToken,
  type TestKey,
} from '../support/dpop-test-proofs.ts';
import { check, judged, lastEntry, start } from './support/world-harness.ts';

/** POSTs a token request without following redirects. */
async function postTokenManual(url: string, form: Record<string, string>, proof: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/** POSTs MCP initialize to `url` with a given proof, without following redirects. */
async function postMcp(url: string, token: string | null, proof: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `DPoP ${token}`;
  if (proof !== null) headers.dpop = proof;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(initializeMessage()), redirect: 'manual' });
}

/** RFC 9449 §4.2: htu without query. */
const htu = (url: string): string => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

describe('token endpoint redirect (as.tokenRedirect)', () => {
  it.each([307, 308] as const)('%i: the advertised endpoint redirects to /moved with its query; a new proof for /moved gets a token', async (status) => {
    const { w } = await start({ as: { tokenRedirect: status, tokenQuery: 'tenant=a' } });
    const meta = await discover(w);
    expect(meta.token_endpoint).toBe(`${w.asOrigin}/token?tenant=a`);
    const key = await createTestKey();
    const client = await authorize(w);
    const hop = await postTokenManual(client.tokenEndpoint, codeForm(client), await buildProof(key, { htm: 'POST', htu: htu(client.tokenEndpoint) }));
    expect(hop.status).toBe(status);
    expect(hop.headers.get('location')).toBe('/token/moved?tenant=a');
    const hopEntry = lastEntry(w);
    expect(hopEntry).toMatchObject({
      server: 'as',
      endpoint: 'token',
      status,
      decision: { kind: 'served' },
      responseHeaders: { location: '/token/moved?tenant=a' },
      issuedTokenId: null,
      grant: { type: 'authorization_code' },
    });

    const moved = new URL(hop.headers.get('location')!, client.tokenEndpoint).href;
    const res = await postTokenManual(moved, codeForm(client), await buildProof(key, { htm: 'POST', htu: htu(moved) }));
    expect(res.status).toBe(200);
    expect(lastEntry(w)).toMatchObject({ endpoint: 'token', url: `${w.asOrigin}/token/moved?tenant=a`, htuTarget: `${w.asOrigin}/token/moved`, issuedTokenId: 't0' });
    expect(w.trace().tokenEndpoint).toBe(`${w.asOrigin}/token?tenant=a`);
  });

  it('every method is redirected at the advertised path; /moved serves POST only', async () => {
    const { w } = await start({ as: { tokenRedirect: 307 } });
    const get = await fetch(`${w.asOrigin}/token`, { redirect: 'manual' });
    expect(get.status).toBe(307);
    expect(get.headers.get('location')).toBe('/token/moved');
    const movedGet = await fetch(`${w.asOrigin}/token/moved`);
    expect(movedGet.status).toBe(405);
    await movedGet.body?.cancel();
  });

  it('the same proof resent to /moved is rejected there (htu), and the judges flag htu and jti', async () => {
    const { w, schedule } = await start({ as: { tokenRedirect: 307 } });
    const key = await createTestKey();
    const client = await authorize(w);
    const proof = await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint });
    expect((await postTokenManual(client.tokenEndpoint, codeForm(client), proof)).status).toBe(307);
    const hopSeq = lastEntry(w).seq;
    const res = await postTokenManual(`${w.asOrigin}/token/moved`, codeForm(client), proof);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_dpop_proof');
    const resent = lastEntry(w);
    expect(resent.decision).toMatchObject({ kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(/htu/) });
    const results = judged(w, schedule, 1);
    expect(check(results, 'sep-1932-client-htm-htu-match')).toMatchObject({ status: 'FAILURE', evidence: [resent.seq] });
    expect(check(results, 'sep-1932-client-unique-jti')).toMatchObject({ status: 'FAILURE', evidence: [hopSeq, resent.seq] });
  });

  it('the hop does not consume the jti: only the judges see a reused one', async () => {
    const { w, schedule } = await start({ as: { tokenRedirect: 308 } });
    const key = await createTestKey();
    const client = await authorize(w);
    expect((await postTokenManual(client.tokenEndpoint, codeForm(client), await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint }, { claims: { jti: 'j-1' } }))).status).toBe(308);
    const moved = `${w.asOrigin}/token/moved`;
    const res = await postTokenManual(moved, codeForm(client), await buildProof(key, { htm: 'POST', htu: moved }, { claims: { jti: 'j-1-but-long-enough' } }));
    expect(res.status).toBe(200);
    await res.body?.cancel();
    const again = await postTokenManual(moved, codeForm(client), await buildProof(key, { htm: 'POST', htu: moved }, { claims: { jti: 'j-1' } }));
    // Not a replay at the real endpoint (the hop judged nothing), so only the grant is refused.
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: string }).error).toBe('invalid_grant');
    expect(check(judged(w, schedule), 'sep-1932-client-unique-jti')).toMatchObject({ status: 'FAILURE', message: expect.stringMatching(/"j-1"/) });
  });
});

describe('MCP endpoint redirect (mcp.redirect)', () => {
  async function ready(status: 307 | 308, query: string | null = 'tenant=a'): Promise<{ w: World; key: TestKey; token: string; schedule: Awaited<ReturnType<typeof start>>['schedule'] }> {
    const { w, schedule } = await start({ mcp: { redirect: status, query } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    return { w, schedule, key, token: accessToken };
  }

  it.each([307, 308] as const)('%i: redirects every request to /moved with the query; the metadata there names /moved', async (status) => {
    const r = await ready(status);
    const hop = await postMcp(r.w.mcpUrl, null, null);
    expect(hop.status).toBe(status);
    expect(hop.headers.get('location')).toBe('/mcp/moved?tenant=a');
    expect(lastEntry(r.w)).toMatchObject({ server: 'mcp', endpoint: 'mcp', status, decision: { kind: 'served' }, responseHeaders: { location: '/mcp/moved?tenant=a' } });

    const moved = new URL(hop.headers.get('location')!, r.w.mcpUrl).href;
    const unauthenticated = await postMcp(moved, null, null);
    expect(unauthenticated.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(unauthenticated.headers.get('www-authenticate') ?? '')?.[1];
    // RFC 9728 §3.3: the metadata names the URL the challenged request went to.
    expect(metadataUrl).toBe(`${new URL(r.w.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp/moved?tenant=a`);
    const prm = (await (await fetch(metadataUrl!)).json()) as { resource: unknown };
    expect(prm.resource).toBe(moved);

    const ok = await postMcp(moved, r.token, await buildProof(r.key, { htm: 'POST', htu: htu(moved), accessToken: r.token }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('mcp-session-id')).not.toBeNull();
    await ok.body?.cancel();
    expect(lastEntry(r.w)).toMatchObject({ endpoint: 'mcp', htuTarget: `${new URL(r.w.mcpUrl).origin}/mcp/moved`, decision: { kind: 'scheduled', index: 0, action: 'ok' } });
  });

  it('the hop redirects an authenticated request without judging its proof', async () => {
    const r = await ready(307);
    const hop = await postMcp(r.w.mcpUrl, r.token, 'not-a-proof');
    expect(hop.status).toBe(307);
    await hop.body?.cancel();
    expect(lastEntry(r.w)).toMatchObject({ decision: { kind: 'served' }, authorization: { kind: 'credentials', tokenId: 't0' } });
  });

  it('the same proof resent to /moved is rejected there (htu), and the judges flag htu, jti and freshness', async () => {
    const r = await ready(308, null);
    const proof = await buildProof(r.key, { htm: 'POST', htu: r.w.mcpUrl, accessToken: r.token });
    const hop = await postMcp(r.w.mcpUrl, r.token, proof);
    expect(hop.status).toBe(308);
    const hopSeq = lastEntry(r.w).seq;
    const res = await postMcp(new URL(hop.headers.get('location')!, r.w.mcpUrl).href, r.token, proof);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
    await res.body?.cancel();
    const resent = lastEntry(r.w);
    expect(resent.decision).toMatchObject({ kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(/htu/) });
    const results = judged(r.w, r.schedule, 1);
    expect(check(results, 'sep-1932-client-htm-htu-match')).toMatchObject({ status: 'FAILURE', evidence: [resent.seq] });
    expect(check(results, 'sep-1932-client-unique-jti')).toMatchObject({ status: 'FAILURE', evidence: [hopSeq, resent.seq] });
    expect(check(results, 'sep-1932-client-fresh-proof')).toMatchObject({ status: 'FAILURE', evidence: [resent.seq] });
  });

  it('an MCP path of / redirects to /moved, never to the network-path //moved', async () => {
    const { w } = await start({ mcp: { path: '/', redirect: 307 } });
    const hop = await postMcp(w.mcpUrl, null, null);
    expect(hop.status).toBe(307);
    expect(hop.headers.get('location')).toBe('/moved');
  });
});
