/**
 * The reference client's MCP fetch, request by request, against scripted
 * answers: what it sends, what it logs (the log is the client's account of a
 * run in every counterexample report) and how it stops. The world-level
 * properties cover the same code under generated schedules; these pin the
 * branches a schedule reaches rarely or only through a fault.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ClientAuth } from '../../src/clients/client-auth.ts';
import type { FirstChallenge } from '../../src/clients/client-auth.ts';
import { challengeError, createDpopFetch } from '../../src/clients/dpop-fetch.ts';
import { generateDpopKey } from '../../src/clients/dpop-key.ts';
import { DpopClientError, QuietStop } from '../../src/clients/errors.ts';
import { FaultSet } from '../../src/clients/faults.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import { MAX_REDIRECTS } from '../../src/clients/http.ts';
import type { NetContext } from '../../src/clients/oauth-metadata.ts';
import { DEFAULT_POLICY } from '../../src/clients/policy.ts';
import type { ClientPolicy } from '../../src/clients/policy.ts';
import { TokenCache } from '../../src/clients/token-cache.ts';
import type { TokenSet } from '../../src/clients/token-endpoint.ts';
import { parseWwwAuthenticate } from '../../src/clients/www-authenticate.ts';

const MCP = 'http://127.0.0.1:9/mcp';
const TOKEN: TokenSet = { accessToken: 'at-1', tokenType: 'DPoP', bound: true, refreshToken: null, issuedAt: 0, expiresAt: null };

/** One request as the scripted server received it. */
interface Sent {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | null;
  readonly proof: { readonly htm: unknown; readonly htu: unknown; readonly nonce: unknown; readonly jti: unknown } | null;
  readonly body: string;
}

/**
 * A ClientAuth with a token and key from a token cache, whose OAuth steps
 * are recorded instead of run: `setUp` hands out the cached token, `renew`
 * returns it again.
 */
class ScriptedAuth extends ClientAuth {
  readonly setUps: FirstChallenge[] = [];
  readonly renewals: TokenSet[] = [];
  private ready: boolean;

  constructor(ready: boolean, faults: FaultSet, policy: ClientPolicy, net: NetContext, cache: TokenCache) {
    super(MCP, faults, policy, net, cache);
    this.ready = ready;
  }

  override get hasToken(): boolean {
    return this.ready;
  }

  override setUp(first: FirstChallenge): Promise<void> {
    this.setUps.push(first);
    this.ready = true;
    return Promise.resolve();
  }

  override renew(stale: TokenSet): Promise<TokenSet> {
    this.renewals.push(stale);
    return Promise.resolve(stale);
  }
}

interface Options {
  readonly faults?: readonly FaultName[];
  readonly policy?: Partial<ClientPolicy>;
  /** Whether the client already holds a token (default) or starts with the first contact. */
  readonly hasToken?: boolean;
  /** The token it holds (default: a DPoP-bound one). */
  readonly token?: TokenSet;
}

/** A fetch with scripted answers, one per request; running out of answers is a test failure. */
async function scripted(answers: readonly Response[], options: Options = {}) {
  const sent: Sent[] = [];
  const log: string[] = [];
  const queue = [...answers];
  const net: NetContext = {
    signal: undefined,
    log: (line) => void log.push(line),
    fetch: async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers);
      const proof = headers.get('dpop');
      const claims = proof === null ? null : decodeJwt(proof);
      sent.push({
        method: init?.method ?? 'GET',
        url: String(input),
        authorization: headers.get('authorization'),
        proof: claims === null ? null : { htm: claims['htm'], htu: claims['htu'], nonce: claims['nonce'], jti: claims['jti'] },
        body: init?.body == null ? '' : await new Response(init.body).text(),
      });
      const answer = queue.shift();
      if (answer === undefined) throw new Error(`no scripted answer for request #${sent.length}`);
      return answer;
    },
  };
  const cache = new TokenCache();
  cache.set(MCP, { key: await generateDpopKey('ES256'), token: options.token ?? TOKEN });
  const faults = new FaultSet(options.faults ?? []);
  const policy: ClientPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const auth = new ScriptedAuth(options.hasToken ?? true, faults, policy, net, cache);
  log.length = 0; // the cache's "starting with a token" line
  const fetch = createDpopFetch(auth, faults, policy, net);
  return { fetch, sent, log, auth, left: queue };
}

const ok = (headers: Record<string, string> = {}): Response => new Response('{}', { status: 200, headers });
const status = (code: number, headers: Record<string, string> = {}): Response => new Response(null, { status: code, headers });
const unauthorized = (wwwAuthenticate: string | null, headers: Record<string, string> = {}): Response =>
  status(401, wwwAuthenticate === null ? headers : { 'www-authenticate': wwwAuthenticate, ...headers });

/** The error a promise rejects with (the test fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected a rejection with an Error, got ${String(outcome)}`);
  return outcome;
}

describe('challengeError (RFC 9449 §7.1, RFC 6750 §3)', () => {
  it("takes the DPoP challenge's error over an earlier Bearer challenge's", () => {
    const challenges = parseWwwAuthenticate('Bearer error="invalid_token", DPoP error="use_dpop_nonce", error_description="send a nonce"');
    expect(challengeError(challenges)).toEqual({ error: 'use_dpop_nonce', description: 'send a nonce' });
  });

  it("falls back to the first challenge with an error when the DPoP challenge has none", () => {
    const challenges = parseWwwAuthenticate('DPoP algs="ES256", Bearer error="invalid_token"');
    expect(challengeError(challenges)).toEqual({ error: 'invalid_token', description: null });
  });

  it('is null when no challenge carries an error', () => {
    expect(challengeError(parseWwwAuthenticate('DPoP algs="ES256", Bearer realm="mcp"'))).toBeNull();
    expect(challengeError([])).toBeNull();
  });
});

describe('first contact, before there is a token', () => {
  it('sends the request as it is and returns an answer that is not a 401', async () => {
    const c = await scripted([ok()], { hasToken: false });
    const response = await c.fetch(MCP);
    expect(response.status).toBe(200);
    expect(c.sent).toEqual([{ method: 'GET', url: MCP, authorization: null, proof: null, body: '' }]);
    expect(c.log).toEqual([`GET ${MCP} (no token yet)`]);
    expect(c.auth.setUps).toEqual([]);
  });

  it('starts the OAuth flow on a 401 with the challenges and the challenged URL, then sends with the token', async () => {
    const c = await scripted([unauthorized('DPoP algs="ES256"'), ok()], { hasToken: false });
    const response = await c.fetch(MCP, { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(c.auth.setUps.map((s) => ({ schemes: s.challenges.map((ch) => ch.scheme), url: s.url }))).toEqual([{ schemes: ['DPoP'], url: MCP }]);
    expect(c.sent.map((s) => [s.method, s.authorization, s.body])).toEqual([
      ['POST', null, '{"a":1}'],
      ['POST', 'DPoP at-1', '{"a":1}'],
    ]);
    expect(c.log).toEqual([`POST ${MCP} (no token yet)`, 'MCP server answered 401: DPoP algs="ES256"', `POST ${MCP} (DPoP, proof)`]);
  });

  it('logs a 401 without WWW-Authenticate as such', async () => {
    const c = await scripted([unauthorized(null), ok()], { hasToken: false });
    await c.fetch(MCP);
    expect(c.log[1]).toBe('MCP server answered 401: (no WWW-Authenticate)');
  });
});

describe('requests with a token (RFC 9449 §7)', () => {
  it('sends GET with a GET proof when the caller gives no init', async () => {
    const c = await scripted([ok()]);
    await c.fetch(MCP);
    expect(c.sent).toEqual([{ method: 'GET', url: MCP, authorization: 'DPoP at-1', proof: { htm: 'GET', htu: MCP, nonce: undefined, jti: c.sent[0]?.proof?.jti }, body: '' }]);
    expect(c.log).toEqual([`GET ${MCP} (DPoP, proof)`]);
  });

  it('presents a bearer token as Bearer without a proof (RFC 6750 §2.1)', async () => {
    const c = await scripted([ok()], { token: { ...TOKEN, tokenType: 'Bearer', bound: false } });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => [s.authorization, s.proof])).toEqual([['Bearer at-1', null]]);
    expect(c.log).toEqual([`POST ${MCP} (Bearer, no proof)`]);
  });

  it('sends the bound token as Bearer, still with a proof, under the bearer-scheme fault', async () => {
    const c = await scripted([ok()], { faults: ['bearer-scheme'] });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => [s.authorization, s.proof?.htm])).toEqual([['Bearer at-1', 'POST']]);
    expect(c.log).toEqual([`POST ${MCP} (Bearer, proof)`]);
  });

  it('drops only the trailing "=" of the token under the strip-token-padding fault', async () => {
    const c = await scripted([ok()], { faults: ['strip-token-padding'], token: { ...TOKEN, accessToken: 'a=b==' } });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.authorization)).toEqual(['DPoP a=b']);
  });

  it('stores a nonce from a success and puts it in the next proof (RFC 9449 §9)', async () => {
    const c = await scripted([ok({ 'dpop-nonce': 'n-1' }), ok()]);
    await c.fetch(MCP, { method: 'POST', body: 'x' });
    await c.fetch(MCP, { method: 'POST', body: 'y' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, 'n-1']);
    expect(c.log).toEqual([`POST ${MCP} (DPoP, proof)`, 'new MCP nonce n-1', `POST ${MCP} (DPoP, proof, MCP nonce n-1)`]);
  });

  it('ignores a malformed DPoP-Nonce and says so (RFC 9449 §8.1)', async () => {
    const c = await scripted([ok({ 'dpop-nonce': 'a b' }), ok()]);
    await c.fetch(MCP, { method: 'POST' });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, undefined]);
    expect(c.log[1]).toBe('ignoring malformed DPoP-Nonce from the MCP server: "a b" (RFC 9449 §8.1)');
  });

  it('retries a use_dpop_nonce challenge once with the supplied nonce', async () => {
    const c = await scripted([unauthorized('DPoP error="use_dpop_nonce"', { 'dpop-nonce': 'n-2' }), ok()]);
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, 'n-2']);
    expect(c.log).toEqual([`POST ${MCP} (DPoP, proof)`, 'new MCP nonce n-2', 'MCP server answered 401 use_dpop_nonce', `POST ${MCP} (DPoP, proof, MCP nonce n-2)`]);
  });

  it('stops on use_dpop_nonce without a usable DPoP-Nonce instead of retrying blind (RFC 9449 §9)', async () => {
    for (const headers of [{}, { 'dpop-nonce': 'bad nonce' }] as Record<string, string>[]) {
      const c = await scripted([unauthorized('DPoP error="use_dpop_nonce"', headers), ok(), ok(), ok()]);
      const error = await rejection(c.fetch(MCP, { method: 'POST' }));
      expect(error).toBeInstanceOf(DpopClientError);
      expect(error.message).toBe('MCP server answered use_dpop_nonce without a valid DPoP-Nonce header (RFC 9449 §9)');
      expect(c.sent).toHaveLength(1);
    }
  });

  it('keeps no nonce from a use_dpop_nonce challenge under the ignore-rs-nonce fault, but does keep one from a success', async () => {
    const c = await scripted([unauthorized('DPoP error="use_dpop_nonce"', { 'dpop-nonce': 'n-3' }), ok(), ok({ 'dpop-nonce': 'n-4' }), ok()], {
      faults: ['ignore-rs-nonce'],
    });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.auth.mcpNonceFor(MCP).value).toBeNull();
    await c.fetch(MCP, { method: 'POST' });
    expect(c.auth.mcpNonceFor(MCP).value).toBe('n-4');
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, undefined, undefined, 'n-4']);
  });

  it('under the ignore-rs-nonce fault, the retry after a challenge carries no nonce, not the one kept from a success', async () => {
    const c = await scripted([ok({ 'dpop-nonce': 'n-1' }), unauthorized('DPoP error="use_dpop_nonce"', { 'dpop-nonce': 'n-2' }), ok()], {
      faults: ['ignore-rs-nonce'],
    });
    await c.fetch(MCP, { method: 'POST' });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, 'n-1', undefined]);
  });

  it('reads a use_dpop_nonce error only on a 401: a success carrying such a challenge still delivers its nonce, even under ignore-rs-nonce (RFC 9110 §11.6.1)', async () => {
    const c = await scripted([ok({ 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': 'n-6' }), ok()], { faults: ['ignore-rs-nonce'] });
    await c.fetch(MCP, { method: 'POST' });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, 'n-6']);
  });

  it('under the resend-after-transient fault, resends the identical request only after a 429/503, never after a nonce challenge', async () => {
    const c = await scripted([unauthorized('DPoP error="use_dpop_nonce"', { 'dpop-nonce': 'n-5' }), status(503, { 'retry-after': '0' }), ok()], {
      faults: ['resend-after-transient'],
    });
    await c.fetch(MCP, { method: 'POST' });
    expect(c.sent.map((s) => s.proof?.nonce)).toEqual([undefined, 'n-5', 'n-5']);
    // The attempt after the 503 is the one before it, proof and all; the one after the challenge is new.
    expect(c.sent[2]).toEqual(c.sent[1]);
    expect(new Set(c.sent.map((s) => s.proof?.jti)).size).toBe(2);
  });

  it('never retries invalid_dpop_proof, and names the server\'s description (RFC 9449 §7.1)', async () => {
    const c = await scripted([unauthorized('DPoP error="invalid_dpop_proof", error_description="bad htu"'), ok()]);
    const error = await rejection(c.fetch(MCP, { method: 'POST' }));
    expect(error).toBeInstanceOf(DpopClientError);
    expect(error.message).toBe('MCP server rejected the DPoP proof: invalid_dpop_proof (bad htu)');
    expect((error as DpopClientError).oauthError).toBe('invalid_dpop_proof');
    expect(c.sent).toHaveLength(1);
    expect(c.log).toEqual([`POST ${MCP} (DPoP, proof)`, 'MCP server answered 401 invalid_dpop_proof']);
  });

  it('stops quietly on invalid_dpop_proof under the swallow-invalid-proof fault', async () => {
    const c = await scripted([unauthorized('DPoP error="invalid_dpop_proof"')], { faults: ['swallow-invalid-proof'] });
    const error = await rejection(c.fetch(MCP, { method: 'POST' }));
    expect(error).toBeInstanceOf(QuietStop);
    expect(error.message).toBe('stopped quietly: MCP server answered invalid_dpop_proof');
  });

  it('stops on any other 401, naming the request and the error, or the missing error code', async () => {
    const cases: readonly (readonly [string | null, string, string])[] = [
      ['DPoP error="insufficient_scope", error_description="needs tools"', 'insufficient_scope (needs tools)', 'insufficient_scope'],
      ['DPoP algs="ES256"', 'no error code in WWW-Authenticate', '(no error code)'],
      [null, 'no error code in WWW-Authenticate', '(no error code)'],
    ];
    for (const [challenge, what, logged] of cases) {
      const c = await scripted([unauthorized(challenge), ok()]);
      const error = await rejection(c.fetch(MCP, { method: 'delete' }));
      expect(error).toBeInstanceOf(DpopClientError);
      expect(error.message).toBe(`MCP server answered 401 to DELETE ${MCP}: ${what}`);
      expect(c.log).toEqual([`DELETE ${MCP} (DPoP, proof)`, `MCP server answered 401 ${logged}`]);
      expect(c.sent).toHaveLength(1);
    }
  });

  it('renews the token once on invalid_token and keeps the DPoP scheme (RFC 6750 §3.1)', async () => {
    const c = await scripted([unauthorized('DPoP error="invalid_token"'), ok()]);
    await c.fetch(MCP, { method: 'POST' });
    expect(c.auth.renewals).toEqual([TOKEN]);
    expect(c.sent.map((s) => s.authorization)).toEqual(['DPoP at-1', 'DPoP at-1']);
  });

  it('retries a 429 after Retry-After with a new proof, and logs the wait (RFC 9449 §7.3)', async () => {
    const c = await scripted([status(429, { 'retry-after': '0' }), ok()]);
    await c.fetch(MCP, { method: 'POST' });
    expect(c.log).toEqual([`POST ${MCP} (DPoP, proof)`, 'MCP server answered 429; retrying in 0 ms', `POST ${MCP} (DPoP, proof)`]);
    expect(c.sent).toHaveLength(2);
  });

  it('reads a stream body once and sends the same bytes on every attempt', async () => {
    const c = await scripted([status(503, { 'retry-after': '0' }), ok()]);
    const body = new Blob(['{"jsonrpc":"2.0"}']).stream();
    await c.fetch(MCP, { method: 'POST', body });
    expect(c.sent.map((s) => [s.method, s.body])).toEqual([
      ['POST', '{"jsonrpc":"2.0"}'],
      ['POST', '{"jsonrpc":"2.0"}'],
    ]);
  });
});

describe('redirects (RFC 9449 §4.2: a proof per hop)', () => {
  const to = (path: string): Response => status(307, { location: `http://127.0.0.1:9${path}` });

  it('follows a same-origin 307 with a proof for the new URL and logs the hop', async () => {
    const c = await scripted([to('/mcp2'), ok()]);
    await c.fetch(MCP, { method: 'POST', body: 'b' });
    expect(c.sent.map((s) => [s.url, s.proof?.htu, s.body])).toEqual([
      [MCP, MCP, 'b'],
      ['http://127.0.0.1:9/mcp2', 'http://127.0.0.1:9/mcp2', 'b'],
    ]);
    expect(c.log[1]).toBe('MCP server redirected (307) to http://127.0.0.1:9/mcp2');
  });

  it('refuses every redirect when the policy says so', async () => {
    const c = await scripted([to('/mcp2'), ok()], { policy: { redirects: 'refuse' } });
    const error = await rejection(c.fetch(MCP, { method: 'POST' }));
    expect(error.message).toBe(`MCP server ${MCP} answered a redirect (307); this client does not follow redirects; not followed`);
    expect(c.sent).toHaveLength(1);
  });

  it(`gives up after ${MAX_REDIRECTS} hops of one request`, async () => {
    const hops = Array.from({ length: MAX_REDIRECTS + 1 }, (_, i) => to(`/hop${i}`));
    const c = await scripted([...hops, ok()]);
    const error = await rejection(c.fetch(MCP, { method: 'POST' }));
    expect(error.message).toMatch(new RegExp(`more than ${MAX_REDIRECTS} redirects; not followed$`));
    expect(c.sent).toHaveLength(MAX_REDIRECTS + 1);
  });
});
