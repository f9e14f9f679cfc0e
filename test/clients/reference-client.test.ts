import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runClient } from '../../src/clients/reference.ts';
import type { RecordedRequest } from './support/mini-world.ts';
import { runAgainst } from './support/run.ts';

const athOf = (token: string): string => createHash('sha256').update(token, 'ascii').digest('base64url');
const tokenOf = (r: RecordedRequest): string => r.authorization?.split(' ')[1] ?? '';
const nonceOf = (r: RecordedRequest): unknown => r.proofClaims?.['nonce'];
const jtiOf = (r: RecordedRequest): unknown => r.proofClaims?.['jti'];

describe('reference client: the whole flow', () => {
  it('discovers, registers, authorizes with PKCE and gets a DPoP-bound token', async () => {
    const { world, error } = await runAgainst();
    expect(error).toBeNull();
    expect(world.requests.slice(0, 6).map((r) => r.endpoint)).toEqual(['mcp', 'prm', 'as-metadata', 'register', 'authorize', 'token']);
    expect(world.requests[0]).toMatchObject({ status: 401, authorization: null, dpop: null, rpcMethod: 'initialize' });

    const authorize = new URL(world.at('authorize')[0]?.path ?? '', 'http://x');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      resource: world.mcpUrl,
      redirect_uri: 'http://127.0.0.1:33418/callback',
    });
    const [token] = world.at('token');
    expect(token?.form).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: 'http://127.0.0.1:33418/callback',
      client_id: authorize.searchParams.get('client_id'),
      resource: world.mcpUrl,
    });
    const verifier = token?.form?.['code_verifier'] ?? '';
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(authorize.searchParams.get('code_challenge'));
    expect(token?.proofHeader).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(token?.status).toBe(200);
  });

  it('presents the token as DPoP with a fresh, bound proof on every MCP request, then ends the session', async () => {
    const { world, error } = await runAgainst();
    expect(error).toBeNull();
    const mcp = world.mcpAuthenticated;
    expect(mcp.map((r) => r.rpcMethod ?? r.method)).toEqual(
      expect.arrayContaining(['initialize', 'notifications/initialized', 'tools/list', 'tools/call', 'GET', 'DELETE']),
    );
    expect(mcp.at(-1)?.method).toBe('DELETE');
    const issued = world.tokens[0];
    for (const r of mcp) {
      expect(r.authorization).toBe(`DPoP ${issued?.accessToken}`);
      expect(r.proofClaims).toMatchObject({ htm: r.method, htu: world.mcpUrl, ath: athOf(issued?.accessToken ?? '') });
      expect(r.jkt).toBe(issued?.jkt);
      expect(r.status).toBe(200);
    }
    const jtis = world.requests.filter((r) => r.dpop !== null).map(jtiOf);
    expect(new Set(jtis).size).toBe(jtis.length);
  });

  it('runs the plan from the context, steps in order and methods of a step concurrently', async () => {
    const context = { name: 'auth/dpop-fuzz', steps: [['ping'], ['tools/call', 'tools/list', 'tools/call'], ['resources/list', 'prompts/list']] };
    const { world, error } = await runAgainst({}, { context });
    expect(error).toBeNull();
    const rpc = world.mcpAuthenticated.filter((r) => r.method === 'POST').map((r) => r.rpcMethod);
    expect(rpc.slice(0, 3)).toEqual(['initialize', 'notifications/initialized', 'ping']);
    expect(rpc.slice(3, 6).sort()).toEqual(['tools/call', 'tools/call', 'tools/list']);
    expect(rpc.slice(6).sort()).toEqual(['prompts/list', 'resources/list']);
  });

  it('keeps working when the MCP server hands out a new nonce on concurrent successes', async () => {
    const post = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((nonce) => ({ kind: 'ok-new-nonce' as const, nonce }));
    const context = { steps: [['tools/list', 'tools/call', 'ping', 'tools/call'], ['tools/list', 'ping']] };
    const { world, error } = await runAgainst({ mcpActions: { post } }, { context });
    expect(error).toBeNull();
    for (const r of world.mcpAuthenticated.filter((r) => r.status === 200).slice(1)) {
      expect(world.mcpNoncesIssued).toContain(nonceOf(r));
    }
  });

  it('rejects with a usable message when the server is unreachable', async () => {
    await expect(runClient('http://127.0.0.1:1/mcp')).rejects.toThrow(/initialize failed/);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('run cancelled'));
    const { error } = await runAgainst({}, { signal: controller.signal });
    expect(error?.message).toMatch(/cancelled|abort/i);
  });
});

describe('reference client: token endpoint (RFC 9449 §5, §8)', () => {
  it('retries use_dpop_nonce with the nonce verbatim, stores a 200 nonce for later token requests, keeps nonces per server', async () => {
    const n1 = "as-1,x;y='z=";
    const n2 = 'as-2!#$%&()*+-./:<=>?@[]^_`{|}~';
    const { world, error } = await runAgainst({
      refreshTokens: true,
      tokenActions: [
        { kind: 'use-dpop-nonce', nonce: n1 },
        { kind: 'ok-new-nonce', nonce: n2 },
      ],
      mcpActions: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }] },
    });
    expect(error).toBeNull();
    const tokenRequests = world.at('token');
    expect(tokenRequests.map((r) => [r.form?.['grant_type'], nonceOf(r), r.status])).toEqual([
      ['authorization_code', undefined, 400],
      ['authorization_code', n1, 200],
      ['refresh_token', n2, 200],
    ]);
    // RFC 9449 §5: the refresh is proven with the key the token was bound to.
    expect(tokenRequests[2]?.jkt).toBe(world.tokens[0]?.jkt);
    // RFC 9449 §9: AS nonces never go to the MCP server.
    for (const r of world.mcpAuthenticated) expect([n1, n2]).not.toContain(nonceOf(r));
    expect(tokenRequests[1]?.form).toEqual(tokenRequests[0]?.form);
  });

  it('gives up after two consecutive use_dpop_nonce answers, naming the error', async () => {
    const { world, error } = await runAgainst({
      tokenActions: ['a', 'b', 'c', 'd'].map((nonce) => ({ kind: 'use-dpop-nonce' as const, nonce })),
    });
    expect(error?.message).toMatch(/use_dpop_nonce/);
    expect(world.at('token').map(nonceOf)).toEqual([undefined, 'a', 'b']);
    expect(world.mcpAuthenticated).toEqual([]);
  });

  it('fails on invalid_dpop_proof without retrying', async () => {
    const { world, error } = await runAgainst({ tokenActions: [{ kind: 'invalid-dpop-proof' }] });
    expect(error?.message).toMatch(/invalid_dpop_proof/);
    expect(world.at('token')).toHaveLength(1);
    expect(world.mcpAuthenticated).toEqual([]);
  });

  it.each(['DPoP', 'dpop', 'DPOP', 'dPoP'])('uses a token of token_type %s as DPoP-bound (RFC 6749 §5.1)', async (tokenType) => {
    const { world, error } = await runAgainst({ tokenType });
    expect(error).toBeNull();
    expect(world.mcpAuthenticated.length).toBeGreaterThan(0);
    for (const r of world.mcpAuthenticated) expect(r.authorization?.startsWith('DPoP ')).toBe(true);
  });

  it.each(['Bearer', 'bearer', 'N_A', 'mac'])('never uses a token of token_type %s (RFC 6749 §7.1)', async (tokenType) => {
    const { world, error } = await runAgainst({ tokenType });
    expect(error?.message).toMatch(new RegExp(`token_type "${tokenType}"`));
    expect(world.mcpAuthenticated).toEqual([]);
  });

  it('follows a same-origin 307 with a proof for the new URL, and strips the query from htu', async () => {
    const { world, error } = await runAgainst({ tokenPath: '/token?tenant=a', tokenRedirectFrom: '/old-token' });
    expect(error).toBeNull();
    const [first, second] = world.at('token');
    expect(first).toMatchObject({ path: '/old-token', status: 307 });
    expect(first?.proofClaims?.['htu']).toMatch(/\/old-token$/);
    expect(second).toMatchObject({ path: '/token?tenant=a', status: 200 });
    expect(second?.proofClaims?.['htu']).toMatch(/\/token$/);
    expect(second?.form).toEqual(first?.form);
    expect(jtiOf(second as RecordedRequest)).not.toBe(jtiOf(first as RecordedRequest));
  });
});

describe('reference client: DPoP algorithm (RFC 9449 §5.1)', () => {
  it('signs every proof with the preferred advertised alg', async () => {
    const { world, error } = await runAgainst({ algs: ['RS256', 'PS256'] });
    expect(error).toBeNull();
    const algs = new Set(world.requests.filter((r) => r.dpop !== null).map((r) => r.proofHeader?.['alg']));
    expect([...algs]).toEqual(['PS256']);
  });

  it('uses ES256 when the server does not advertise algs', async () => {
    const { world, error } = await runAgainst({ algs: null });
    expect(error).toBeNull();
    expect(world.at('token')[0]?.proofHeader?.['alg']).toBe('ES256');
  });

  it('fails before any token request when no advertised alg is supported', async () => {
    const { world, error } = await runAgainst({ algs: ['HS256', 'ES256K'] });
    expect(error?.message).toMatch(/none of which this client can use/);
    expect(world.at('token')).toEqual([]);
  });
});

describe('reference client: MCP server answers (RFC 9449 §7, §9)', () => {
  it('retries a use_dpop_nonce challenge with the nonce verbatim, then uses it on later requests', async () => {
    const nonce = "rs,1;a=b'c";
    const { world, error } = await runAgainst({ mcpActions: { post: [{ kind: 'use-dpop-nonce', nonce }] } });
    expect(error).toBeNull();
    const [challenged, retried, ...rest] = world.mcpAuthenticated;
    expect(challenged).toMatchObject({ status: 401, error: 'use_dpop_nonce', rpcMethod: 'initialize' });
    expect(retried).toMatchObject({ status: 200, rpcMethod: 'initialize' });
    expect(nonceOf(retried as RecordedRequest)).toBe(nonce);
    for (const r of rest) expect(nonceOf(r)).toBe(nonce);
    expect(world.asNoncesIssued).toEqual([]);
    expect(world.at('token').every((r) => nonceOf(r) === undefined)).toBe(true);
  });

  it('uses the newest nonce delivered on a success (RFC 9449 §8.2, §9)', async () => {
    const { world, error } = await runAgainst({
      mcpActions: { post: [{ kind: 'ok-new-nonce', nonce: 'first' }, { kind: 'ok-new-nonce', nonce: 'second' }] },
    });
    expect(error).toBeNull();
    const posts = world.mcpAuthenticated.filter((r) => r.method !== 'GET');
    expect(posts.map((r) => [r.rpcMethod ?? r.method, nonceOf(r)])).toEqual([
      ['initialize', undefined],
      ['notifications/initialized', 'first'],
      ['tools/list', 'second'],
      ['tools/call', 'second'],
      ['DELETE', 'second'],
    ]);
  });

  it('gives up after two consecutive nonce challenges to one request', async () => {
    const post = ['a', 'b', 'c', 'd'].map((nonce) => ({ kind: 'use-dpop-nonce' as const, nonce }));
    const { world, error } = await runAgainst({ mcpActions: { post } });
    expect(error?.message).toMatch(/use_dpop_nonce/);
    expect(world.mcpAuthenticated.map(nonceOf)).toEqual([undefined, 'a', 'b']);
  });

  it('on invalid_token refreshes with the same key and retries with the DPoP scheme', async () => {
    const { world, error } = await runAgainst({ refreshTokens: true, mcpActions: { post: [{ kind: 'ok' }, { kind: 'ok' }, { kind: 'invalid-token' }] } });
    expect(error).toBeNull();
    const refresh = world.at('token')[1];
    expect(refresh?.form?.['grant_type']).toBe('refresh_token');
    expect(refresh?.form?.['refresh_token']).toBe(world.tokens[0]?.refreshToken);
    expect(refresh?.jkt).toBe(world.tokens[0]?.jkt);
    const retried = world.mcpAuthenticated.find((r) => r.error === 'invalid_token');
    const next = world.mcpAuthenticated.find((r) => r.seq > (retried?.seq ?? 0) && r.rpcMethod === retried?.rpcMethod);
    expect(next?.authorization).toBe(`DPoP ${world.tokens[1]?.accessToken}`);
    expect(next?.proofClaims?.['ath']).toBe(athOf(world.tokens[1]?.accessToken ?? ''));
    expect(world.mcpAuthenticated.every((r) => r.authorization?.startsWith('DPoP '))).toBe(true);
  });

  it('on invalid_token without a refresh token authorizes again', async () => {
    const { world, error } = await runAgainst({ mcpActions: { post: [{ kind: 'invalid-token' }] } });
    expect(error).toBeNull();
    expect(world.at('authorize')).toHaveLength(2);
    expect(world.at('token').map((r) => r.form?.['grant_type'])).toEqual(['authorization_code', 'authorization_code']);
    expect(world.tokens[1]?.jkt).toBe(world.tokens[0]?.jkt);
  });

  it('fails when the new token is also invalid_token', async () => {
    const { world, error } = await runAgainst({ mcpActions: { post: [{ kind: 'invalid-token' }, { kind: 'invalid-token' }] } });
    expect(error?.message).toMatch(/invalid_token/);
    expect(world.at('token')).toHaveLength(2);
  });

  it('fails on invalid_dpop_proof without retrying', async () => {
    const { world, error } = await runAgainst({ invalidProofOn: 'POST' });
    expect(error?.message).toMatch(/invalid_dpop_proof/);
    expect(world.mcpAuthenticated).toHaveLength(1);
  });

  it('fails on invalid_dpop_proof on the background SSE stream too', async () => {
    const { world, error } = await runAgainst({ invalidProofOn: 'GET' }, { context: { steps: [['tools/list'], ['ping'], ['ping']] } });
    expect(error?.message).toMatch(/invalid_dpop_proof/);
    expect(world.mcpAuthenticated.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('fails when the session cannot be ended', async () => {
    const { world, error } = await runAgainst({ mcpActions: { delete: [{ kind: 'invalid-token' }, { kind: 'invalid-token' }] } });
    expect(error?.message).toMatch(/invalid_token/);
    expect(world.mcpAuthenticated.filter((r) => r.method === 'DELETE')).toHaveLength(2);
  });

  it('retries 429 and 503 with a new proof, and gives up after two retries', async () => {
    const transient = [
      { kind: 'transient' as const, status: 429 as const, retryAfter: 0 },
      { kind: 'transient' as const, status: 503 as const },
    ];
    const ok = await runAgainst({ mcpActions: { post: transient } });
    expect(ok.error).toBeNull();
    const [a, b, c] = ok.world.mcpAuthenticated;
    expect([a?.status, b?.status, c?.status]).toEqual([429, 503, 200]);
    expect(new Set([jtiOf(a as RecordedRequest), jtiOf(b as RecordedRequest), jtiOf(c as RecordedRequest)]).size).toBe(3);

    const tooMany = await runAgainst({ mcpActions: { post: [...transient, { kind: 'transient', status: 429, retryAfter: 0 }] } });
    expect(tooMany.error).not.toBeNull();
    expect(tooMany.world.mcpAuthenticated).toHaveLength(3);
  });

  it('follows a same-origin 307 at the MCP endpoint with a proof for the new URL', async () => {
    const { world, error } = await runAgainst({ redirectFirstMcpPost: true });
    expect(error).toBeNull();
    const [redirected, moved] = world.mcpAuthenticated;
    expect(redirected).toMatchObject({ status: 307, path: '/mcp' });
    expect(moved).toMatchObject({ status: 200, path: '/mcp-moved', rpcMethod: 'initialize' });
    expect(moved?.proofClaims?.['htu']).toBe(world.mcpUrl.replace(/\/mcp$/, '/mcp-moved'));
  });

  it('leaves the query of the MCP URL out of htu and sends it as resource', async () => {
    const { world, error } = await runAgainst({}, { query: 'tenant=a&x=1' });
    expect(error).toBeNull();
    for (const r of world.mcpAuthenticated) {
      expect(r.path).toBe('/mcp?tenant=a&x=1');
      expect(r.proofClaims?.['htu']).toBe(world.mcpUrl);
    }
    expect(world.at('token')[0]?.form?.['resource']).toBe(`${world.mcpUrl}?tenant=a&x=1`);
  });

  it('reads the DPoP challenge among other challenges', async () => {
    const { error } = await runAgainst({ challengePrefix: 'Bearer realm="mcp", Newauth title="a, \\"b\\"", Basic abc==' });
    expect(error).toBeNull();
  });

  it('renews an expired token before using it, always with the same key', async () => {
    const { world, error } = await runAgainst({ refreshTokens: true, expiresIn: 0 });
    expect(error).toBeNull();
    const refreshes = world.at('token').filter((r) => r.form?.['grant_type'] === 'refresh_token');
    expect(refreshes.length).toBeGreaterThan(0);
    for (const r of refreshes) expect(r.jkt).toBe(world.tokens[0]?.jkt);
    for (const r of world.mcpAuthenticated) {
      const used = world.tokens.find((t) => t.accessToken === tokenOf(r));
      expect(used).toBeDefined();
    }
  });
});
