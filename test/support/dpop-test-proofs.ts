/**
 * A small DPoP client for driving the test servers in unit tests. It is
 * written independently of `src/` (only jose and node:crypto), so a bug in
 * the code under test cannot hide itself by being shared with the tests.
 *
 * Proofs follow RFC 9449 §4.2 by default; every header member and claim can
 * be overridden (or removed with `undefined`) to build the broken proofs the
 * servers must reject.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { base64url, calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { Schedule } from '../../src/schedule/types.ts';
import type { World } from '../../src/world/world.ts';

/** Only what the helpers need from a running world (`src/world/world.ts`). */
export interface WorldUrls {
  readonly mcpUrl: string;
  readonly asOrigin: string;
}

export type TestAlg = 'ES256' | 'EdDSA';

/** A client key pair (RFC 9449 §2: the key the tokens get bound to). */
export interface TestKey {
  readonly alg: TestAlg;
  readonly privateKey: CryptoKey;
  /** The public JWK, as carried in the proof's `jwk` header. */
  readonly publicJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint of the public key (the `cnf.jkt` of RFC 9449 §6.1). */
  readonly jkt: string;
}

/** Creates a key pair for proofs (RFC 9449 §4.2: an asymmetric JWS algorithm). */
export async function createTestKey(alg: TestAlg = 'ES256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

/** RFC 9449 §4.2 `ath`: base64url(SHA-256(ASCII(access token))). */
export function athOf(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** What one proof is for (RFC 9449 §4.2). */
export interface ProofTarget {
  readonly htm: string;
  /** Target URI; any query or fragment is kept as given. */
  readonly htu: string;
  /** Adds `ath` for this token (RFC 9449 §7). */
  readonly accessToken?: string;
  readonly nonce?: string;
}

/** Deviations from a correct proof. A member set to `undefined` is removed. */
export interface ProofOverrides {
  readonly header?: Readonly<Record<string, unknown>>;
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Sign correctly, then corrupt the signature (RFC 9449 §4.3 check 6). */
  readonly badSignature?: boolean;
}

function merged(base: Record<string, unknown>, patch: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...patch };
  for (const [name, value] of Object.entries(out)) if (value === undefined) delete out[name];
  return out;
}

const encodeJson = (value: unknown): string => base64url.encode(JSON.stringify(value));

/**
 * Builds a DPoP proof JWT (RFC 9449 §4.2). When the header's `alg` is not the
 * key's algorithm (e.g. `none`), the proof is left unsigned (empty signature),
 * since no key can sign for it.
 */
export async function buildProof(key: TestKey, target: ProofTarget, overrides: ProofOverrides = {}): Promise<string> {
  const header = merged({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk }, overrides.header);
  const claims = merged(
    {
      jti: randomUUID(),
      htm: target.htm,
      htu: target.htu,
      iat: Math.floor(Date.now() / 1000),
      ...(target.accessToken !== undefined ? { ath: athOf(target.accessToken) } : {}),
      ...(target.nonce !== undefined ? { nonce: target.nonce } : {}),
    },
    overrides.claims,
  );
  const payload = new TextEncoder().encode(JSON.stringify(claims));
  if (header.alg !== key.alg) return `${encodeJson(header)}.${base64url.encode(payload)}.`;
  const jws = await new CompactSign(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
  if (!overrides.badSignature) return jws;
  const [h, p, s = ''] = jws.split('.');
  const signature = base64url.decode(s);
  signature[0] = (signature[0] ?? 0) ^ 0xff;
  return `${h}.${p}.${base64url.encode(signature)}`;
}

/** RFC 8414 §3: the authorization server's metadata. */
export async function discover(world: WorldUrls): Promise<Record<string, unknown>> {
  const res = await fetch(`${world.asOrigin}/.well-known/oauth-authorization-server`);
  if (res.status !== 200) throw new Error(`metadata: HTTP ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A fresh authorization code and what a token request needs to redeem it. */
export interface AuthorizedClient {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly code: string;
  readonly codeVerifier: string;
}

/**
 * RFC 8414 discovery → RFC 7591 registration → RFC 6749 §4.1 authorization
 * request with PKCE S256 (RFC 7636); the code is read from the 302 Location.
 */
export async function authorize(world: WorldUrls, options: { dpopJkt?: string } = {}): Promise<AuthorizedClient> {
  const meta = await discover(world);
  const redirectUri = 'http://127.0.0.1/callback';
  const reg = await fetch(String(meta.registration_endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
  });
  if (reg.status !== 201) throw new Error(`registration: HTTP ${reg.status}`);
  const clientId = String(((await reg.json()) as { client_id: unknown }).client_id);
  const codeVerifier = randomBytes(32).toString('base64url');
  const url = new URL(String(meta.authorization_endpoint));
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'st',
    // RFC 9449 §10: bind the code to a key thumbprint.
    ...(options.dpopJkt !== undefined ? { dpop_jkt: options.dpopJkt } : {}),
  }).toString();
  const auth = await fetch(url, { redirect: 'manual' });
  const code = new URL(auth.headers.get('location') ?? 'http://invalid/').searchParams.get('code');
  if (auth.status !== 302 || code === null) throw new Error(`authorize: HTTP ${auth.status}`);
  return { tokenEndpoint: String(meta.token_endpoint), clientId, redirectUri, code, codeVerifier };
}

/** The RFC 6749 §4.1.3 form that redeems the client's code. */
export function codeForm(client: AuthorizedClient): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code: client.code,
    redirect_uri: client.redirectUri,
    client_id: client.clientId,
    code_verifier: client.codeVerifier,
  };
}

export interface TokenReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** POSTs a token request (RFC 6749 §3.2) with an optional `DPoP` header (RFC 9449 §5). */
export async function postToken(
  tokenEndpoint: string,
  form: Readonly<Record<string, string>>,
  proof: string | null,
  contentType = 'application/x-www-form-urlencoded',
): Promise<TokenReply> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (proof !== null) headers.dpop = proof;
  const res = await fetch(tokenEndpoint, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export interface ObtainedToken extends TokenReply {
  readonly accessToken: string;
  readonly refreshToken: string | null;
}

/**
 * The whole RFC 9449 §5 flow: authorize, then redeem the code with a proof
 * signed by `key`. Throws unless the token endpoint answers 200.
 */
export async function obtainToken(world: WorldUrls, key: TestKey, options: { nonce?: string } = {}): Promise<ObtainedToken> {
  const client = await authorize(world);
  const proof = await buildProof(key, { htm: 'POST', htu: client.tokenEndpoint, ...(options.nonce !== undefined ? { nonce: options.nonce } : {}) });
  const reply = await postToken(client.tokenEndpoint, codeForm(client), proof);
  if (reply.status !== 200) throw new Error(`token: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  const refresh = reply.body.refresh_token;
  return { ...reply, accessToken: String(reply.body.access_token), refreshToken: typeof refresh === 'string' ? refresh : null };
}

/** RFC 9449 §4.2: htu is the target URI without query and fragment. */
export function mcpHtu(world: WorldUrls): string {
  const url = new URL(world.mcpUrl);
  return `${url.origin}${url.pathname}`;
}

/** One request to the MCP endpoint; everything a test may want to get wrong. */
export interface McpCall {
  readonly method?: 'POST' | 'GET' | 'DELETE';
  /** The access token; null sends no `Authorization` header. */
  readonly token: string | null;
  /** Authorization scheme (RFC 9449 §7.1: `DPoP`). */
  readonly scheme?: string;
  /** Key signing the proof; null sends no `DPoP` header. */
  readonly key: TestKey | null;
  readonly nonce?: string;
  readonly proof?: ProofOverrides;
  readonly sessionId?: string;
  /** JSON-RPC body of a POST. */
  readonly body?: unknown;
}

/**
 * Sends `call` to the MCP endpoint with the Streamable HTTP headers, a proof
 * with `ath` (RFC 9449 §7) and `Authorization: <scheme> <token>`.
 */
export async function mcpRequest(world: WorldUrls, call: McpCall): Promise<Response> {
  const method = call.method ?? 'POST';
  const headers: Record<string, string> = {
    accept: method === 'GET' ? 'text/event-stream' : 'application/json, text/event-stream',
  };
  if (method === 'POST') headers['content-type'] = 'application/json';
  if (call.token !== null) headers.authorization = `${call.scheme ?? 'DPoP'} ${call.token}`;
  if (call.sessionId !== undefined) headers['mcp-session-id'] = call.sessionId;
  if (call.key !== null) {
    const target: ProofTarget = {
      htm: method,
      htu: mcpHtu(world),
      ...(call.token !== null ? { accessToken: call.token } : {}),
      ...(call.nonce !== undefined ? { nonce: call.nonce } : {}),
    };
    headers.dpop = await buildProof(call.key, target, call.proof);
  }
  const body = method === 'POST' ? JSON.stringify(call.body ?? initializeMessage()) : null;
  return fetch(world.mcpUrl, { method, headers, body });
}

/** The MCP `initialize` request (JSON-RPC 2.0). */
export function initializeMessage(id = 1): object {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'world-test', version: '1.0.0' } },
  };
}

/** POSTs MCP `initialize` with `Authorization: DPoP <token>` and a proof carrying `ath`. */
export async function mcpInitialize(world: WorldUrls, token: string, key: TestKey, options: { nonce?: string } = {}): Promise<Response> {
  return mcpRequest(world, { token, key, ...(options.nonce !== undefined ? { nonce: options.nonce } : {}) });
}

/** The first JSON-RPC message of a Streamable HTTP response, JSON or SSE (`data:` lines). */
export async function readRpc(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) return JSON.parse(text) as Record<string, unknown>;
  const data = text.split('\n').find((line) => line.startsWith('data:'));
  if (data === undefined) throw new Error(`no SSE data in ${JSON.stringify(text.slice(0, 200))}`);
  return JSON.parse(data.slice('data:'.length)) as Record<string, unknown>;
}

/** A running world with a registered client, its key and a DPoP-bound access token. */
export interface ReadyWorld {
  readonly w: World;
  readonly schedule: Schedule;
  readonly key: TestKey;
  readonly token: string;
}
