/**
 * Topology `same-origin`: one listener serves the authorization server and
 * the MCP server (RFC 6454: one origin), routed by path. The trace still
 * names the right server for every request, and each server keeps its own
 * nonces (RFC 9449 §9: a nonce is only accepted by the server that issued it).
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { requestPathOf } from '../../src/world/listen.ts';
import { refusedOnSharedOrigin } from '../../src/world/refused.ts';
import { buildProof, codeForm, authorize, createTestKey, discover, mcpInitialize, obtainToken, postToken } from '../support/dpop-test-proofs.ts';
import { lastEntry, start } from './support/world-harness.ts';

describe('same-origin topology', () => {
  it('serves both servers on one origin, and the trace names the server of each route', async () => {
    const { w } = await start({ topology: 'same-origin' });
    const origin = new URL(w.mcpUrl).origin;
    expect(w.asOrigin).toBe(origin);
    const meta = await discover(w);
    expect(meta).toMatchObject({ issuer: origin, token_endpoint: `${origin}/token`, registration_endpoint: `${origin}/register` });

    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const init = await mcpInitialize(w, accessToken, key);
    expect(init.status).toBe(200);
    await init.body?.cancel();
    const prm = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`);
    expect(((await prm.json()) as { authorization_servers: unknown }).authorization_servers).toEqual([origin]);

    const trace = w.trace();
    expect(trace.asOrigin).toBe(trace.mcpOrigin);
    expect(trace.tokenEndpoint).toBe(`${origin}/token`);
    expect(trace.entries.map((e) => [e.server, e.endpoint, e.status])).toEqual([
      ['as', 'as-metadata', 200],
      ['as', 'as-metadata', 200],
      ['as', 'register', 201],
      ['as', 'authorize', 302],
      ['as', 'token', 200],
      ['mcp', 'mcp', 200],
      ['mcp', 'prm', 200],
    ]);
    expect(trace.tokens).toHaveLength(1);
  });

  it('answers an unknown path with the MCP server 404, recorded as other', async () => {
    const { w } = await start({ topology: 'same-origin' });
    const res = await fetch(new URL('/nowhere', w.mcpUrl));
    expect(res.status).toBe(404);
    await res.body?.cancel();
    expect(lastEntry(w)).toMatchObject({ server: 'mcp', endpoint: 'other', status: 404 });
  });

  it("keeps the two servers' nonces apart although they share the origin", async () => {
    const { w } = await start({ topology: 'same-origin', as: { initialNonce: 'as-0' }, mcp: { initialNonce: 'rs-0' } });
    const key = await createTestKey();
    const client = await authorize(w);
    // The MCP server's nonce is no good at the token endpoint (RFC 9449 §9).
    const wrong = await postToken(client.tokenEndpoint, codeForm(client), await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint, nonce: 'rs-0' }));
    expect(wrong).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
    expect(wrong.headers.get('dpop-nonce')).toBe('as-0');
    expect(lastEntry(w)).toMatchObject({ server: 'as', decision: { kind: 'nonce-required', nonce: 'as-0' } });
    const right = await postToken(client.tokenEndpoint, codeForm(client), await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint, nonce: 'as-0' }));
    expect(right.status).toBe(200);
    const token = String(right.body.access_token);

    const crossed = await mcpInitialize(w, token, key, { nonce: 'as-0' });
    expect(crossed.status).toBe(401);
    expect(crossed.headers.get('dpop-nonce')).toBe('rs-0');
    await crossed.body?.cancel();
    expect(lastEntry(w)).toMatchObject({ server: 'mcp', decision: { kind: 'nonce-required', nonce: 'rs-0' } });
    const ok = await mcpInitialize(w, token, key, { nonce: 'rs-0' });
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    expect(w.trace().nonces).toEqual([
      { server: 'as', value: 'as-0', seq: 3, generation: 0 },
      { server: 'mcp', value: 'rs-0', seq: 5, generation: 0 },
    ]);
  });
});

/** Writes raw bytes to the listener and waits for the connection to end. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let reply = '';
    socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}

describe('requests refused by the HTTP layer on a shared origin', () => {
  it('reads the request path from a packet that starts with a request line (RFC 9112 §3)', () => {
    expect(requestPathOf(Buffer.from('POST /token?x=1 HTTP/1.1\r\nHost: a\r\n'))).toBe('/token');
    expect(requestPathOf(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('/');
    expect(requestPathOf(Buffer.from('pppppppp'))).toBeNull();
    expect(requestPathOf(undefined)).toBeNull();
  });

  it('books a refused request to the server its path belongs to', async () => {
    const { w } = await start({ topology: 'same-origin' });
    const reply = await rawExchange(w.mcpUrl, 'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nbad header: 1\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    const mcpReply = await rawExchange(w.mcpUrl, 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nbad header: 1\r\n\r\n');
    expect(mcpReply).toMatch(/^HTTP\/1\.1 400 /);
    expect(w.trace().refused).toEqual([
      { at: expect.any(Number), server: 'as', reason: 'HPE_INVALID_HEADER_TOKEN' },
      { at: expect.any(Number), server: 'mcp', reason: 'HPE_INVALID_HEADER_TOKEN' },
    ]);
  });

  it('routes by the schedule\'s paths, and says the target is unknown when the request line cannot be read', () => {
    const schedule = scheduleWith({ topology: 'same-origin', as: { tokenPath: '/t', tokenRedirect: 307 } });
    expect(refusedOnSharedOrigin(schedule, 'E', '/t/moved')).toEqual({ server: 'as', reason: 'E' });
    expect(refusedOnSharedOrigin(schedule, 'E', '/.well-known/oauth-authorization-server')).toEqual({ server: 'as', reason: 'E' });
    expect(refusedOnSharedOrigin(schedule, 'E', '/token')).toEqual({ server: 'mcp', reason: 'E' });
    expect(refusedOnSharedOrigin(schedule, 'E', null)).toEqual({ server: 'mcp', reason: 'E (shared origin; request line unreadable, so the target server is unknown)' });
  });

  it('an oversized head is still recorded as refused (431), never as a request', async () => {
    const { w } = await start({ topology: 'same-origin' });
    const reply = await rawExchange(w.mcpUrl, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nx-padding: ${'p'.repeat(100_000)}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 431 /);
    // Node hands over the chunk that overflowed, which may or may not hold the request line.
    expect(w.trace().refused).toEqual([{ at: expect.any(Number), server: 'mcp', reason: expect.stringMatching(/^HPE_HEADER_OVERFLOW( \(shared origin; .*target server is unknown\))?$/) }]);
    expect(w.trace().entries).toEqual([]);
  });
});
