/**
 * The reference client against the real test servers (src/world) under the
 * newer schedule dimensions: same-origin redirects followed hop by hop with a
 * proof per hop (RFC 9449 §4.2), nonces kept per server even on one origin
 * (RFC 9449 §9), opaque tokens presented byte for byte (RFC 6750 §2.1), and
 * cross-origin or endless redirects refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DpopClientError } from '../../src/clients/errors.ts';
import { athOf } from '../../src/clients/dpop-proof.ts';
import { runClient } from '../../src/clients/reference.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import type { Trace, TraceEntry } from '../../src/trace/types.ts';
import { startWorld, type World } from '../../src/world/world.ts';

type Patch = Parameters<typeof scheduleWith>[0];

const worlds: World[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(worlds.splice(0).map((w) => w.close()));
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** Runs the reference client against a world for `patch`; returns the trace and what the client rejected with. */
async function run(patch: Patch): Promise<{ trace: Trace; error: unknown }> {
  const schedule = scheduleWith(patch);
  const w = await startWorld(schedule);
  worlds.push(w);
  let error: unknown = null;
  try {
    await runClient(w.mcpUrl, { context: { steps: schedule.plan } });
  } catch (e) {
    error = e;
  }
  await w.close();
  return { trace: w.trace(), error };
}

const pathOf = (e: TraceEntry): string => new URL(e.url).pathname;
const htuOf = (e: TraceEntry): unknown => e.proof?.claims?.htu;

describe('redirects (RFC 9110 §15.4.8, §15.4.9)', () => {
  it.each([307, 308] as const)('follows %i at the token endpoint and the MCP endpoint with a new proof for each hop', async (status) => {
    const { trace, error } = await run({ as: { tokenRedirect: status, tokenQuery: 'v=1' }, mcp: { redirect: status, query: 'tenant=a' } });
    expect(error).toBeNull();
    // The first MCP request goes out before there is a token, so without a proof.
    const [unauthenticated, ...hops] = trace.entries.filter((e) => e.status === status);
    expect(unauthenticated).toMatchObject({ endpoint: 'mcp', proof: null, authorization: { kind: 'none' } });
    expect(hops.length).toBeGreaterThanOrEqual(4);
    for (const hop of hops) {
      const next = trace.entries.find((e) => e.seq > hop.seq && e.endpoint === hop.endpoint && pathOf(e) === `${pathOf(hop)}/moved`);
      expect(next, `#${hop.seq}`).toBeDefined();
      // Each hop's proof names that hop's URL, without the query, and has its own jti.
      expect(htuOf(hop)).toBe(hop.htuTarget);
      expect(htuOf(next!)).toBe(next!.htuTarget);
      expect(new URL(next!.url).search).toBe(new URL(hop.url).search);
      expect(next!.proof?.claims?.jti).not.toBe(hop.proof?.claims?.jti);
    }
    expect(trace.tokens).toHaveLength(1);
    expect(trace.entries.filter((e) => e.endpoint === 'mcp' && e.method === 'DELETE').map((e) => e.status)).toEqual([status, 200]);
  });

  it('follows the redirect of the very first, unauthenticated request too', async () => {
    const { trace, error } = await run({ mcp: { redirect: 307 } });
    expect(error).toBeNull();
    expect(trace.entries.slice(0, 3).map((e) => [pathOf(e), e.status, e.authorization.kind])).toEqual([
      ['/mcp', 307, 'none'],
      ['/mcp/moved', 401, 'none'],
      // RFC 9728 §3.3: the metadata of the URL that was challenged.
      ['/.well-known/oauth-protected-resource/mcp/moved', 200, 'none'],
    ]);
  });

  /** A server that answers every request with a redirect chosen by `target(path)`. */
  async function redirecting(target: (path: string, origin: string) => string): Promise<{ origin: string; paths: string[] }> {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(307, { location: target(req.url ?? '/', origin) }).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { origin, paths };
  }

  it('refuses a redirect to another origin, and sends it nothing', async () => {
    const other = await redirecting((_p, origin) => `${origin}/x`);
    const start = await redirecting(() => `${other.origin}/mcp`);
    const error = await runClient(`${start.origin}/mcp`).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DpopClientError);
    expect((error as Error).message).toMatch(/another origin, http:\/\/127\.0\.0\.1:\d+; only same-origin redirects are followed/);
    expect(start.paths).toEqual(['/mcp']);
    expect(other.paths).toEqual([]);
  });

  it('gives up after five same-origin redirects', async () => {
    const loop = await redirecting((path) => `${path}/again`);
    const error = await runClient(`${loop.origin}/mcp`).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DpopClientError);
    expect((error as Error).message).toMatch(/more than 5 redirects/);
    expect(loop.paths).toHaveLength(6);
  });
});

describe('same-origin topology (RFC 9449 §9: a nonce belongs to the server that issued it)', () => {
  it('sends each server only its own nonces', async () => {
    const { trace, error } = await run({
      topology: 'same-origin',
      as: { initialNonce: 'as-0', tokenRequests: [{ kind: 'ok-new-nonce', nonce: 'as-1' }] },
      mcp: { initialNonce: 'rs-0', post: [{ kind: 'ok-new-nonce', nonce: 'rs-1' }, { kind: 'ok' }, { kind: 'invalid-token' }] },
    });
    expect(error).toBeNull();
    expect(trace.asOrigin).toBe(trace.mcpOrigin);
    const issuedBy = new Map(trace.nonces.map((n) => [n.value, n.server]));
    const withNonce = trace.entries.filter((e) => typeof e.proof?.claims?.nonce === 'string');
    // The refresh after invalid_token carries the AS nonce, MCP requests the MCP one.
    expect(new Set(withNonce.map((e) => `${e.server}:${String(e.proof?.claims?.nonce)}`))).toEqual(new Set(['as:as-0', 'as:as-1', 'mcp:rs-0', 'mcp:rs-1']));
    for (const e of withNonce) expect(issuedBy.get(String(e.proof?.claims?.nonce)), `#${e.seq}`).toBe(e.server);
    expect(trace.tokens.map((t) => t.grantType)).toEqual(['authorization_code', 'refresh_token']);
  });
});

describe('opaque access tokens (RFC 6750 §2.1 b64token)', () => {
  it('presents the token byte for byte, with ath over exactly those bytes', async () => {
    const { trace, error } = await run({ as: { accessTokens: { kind: 'opaque', stem: 'a+b/c~d-e.f_', padding: 2 } } });
    expect(error).toBeNull();
    const issued = trace.tokens.map((t) => t.accessToken);
    expect(issued).toEqual([expect.stringMatching(/^a\+b\/c~d-e\.f_[A-Za-z0-9_-]{8}0==$/)]);
    const token = issued[0]!;
    const presented = trace.entries.filter((e) => e.authorization.kind === 'credentials');
    expect(presented.length).toBeGreaterThan(2);
    for (const e of presented) {
      expect(e.authorization).toMatchObject({ scheme: 'DPoP', token, tokenId: 't0' });
      expect(e.proof?.claims?.ath).toBe(athOf(token));
      expect(e.status).toBeLessThan(300);
    }
  });
});
