/**
 * A small authorization server + MCP server on one loopback origin, for
 * testing the reference client. It verifies proofs just enough to answer like
 * a real DPoP server (RFC 9449 §4.3, §5, §7) and records every request, so the
 * tests can assert on what the client sent. Its behaviour is scripted with the
 * action vocabulary of the schedule types.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import type { JWK } from 'jose';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpAction, TokenAction } from '../../../src/schedule/types.ts';

export interface MiniWorldOptions {
  /** `dpop_signing_alg_values_supported`; null leaves it out. */
  readonly algs?: readonly string[] | null;
  readonly tokenType?: string;
  /** Token endpoint path, possibly with a query. */
  readonly tokenPath?: string;
  /** Advertise this path instead, which answers 307 to `tokenPath`. */
  readonly tokenRedirectFrom?: string;
  readonly expiresIn?: number;
  readonly refreshTokens?: boolean;
  readonly tokenActions?: readonly TokenAction[];
  readonly mcpActions?: { readonly post?: readonly McpAction[]; readonly get?: readonly McpAction[]; readonly delete?: readonly McpAction[] };
  /** Extra challenge text put before the DPoP challenge on a 401, e.g. `Bearer realm="x"`. */
  readonly challengePrefix?: string;
  /** Answer the first authenticated POST to /mcp with 307 to /mcp-moved. */
  readonly redirectFirstMcpPost?: boolean;
  /** Answer the first otherwise accepted MCP request with this method with 401 invalid_dpop_proof. */
  readonly invalidProofOn?: 'POST' | 'GET' | 'DELETE';
  /** `dpop_bound_access_tokens_required` in the resource metadata (RFC 9728 §2); absent when undefined. */
  readonly boundTokensRequired?: boolean;
  /** Access tokens end in "==" (RFC 6750 §2.1 b64token padding). */
  readonly paddedTokens?: boolean;
  /**
   * With `redirectFirstMcpPost`: send it to a second listener of this world,
   * on another port — another origin (RFC 6454).
   */
  readonly redirectToOtherOrigin?: boolean;
}

export interface RecordedRequest {
  readonly seq: number;
  readonly endpoint: 'prm' | 'as-metadata' | 'register' | 'authorize' | 'token' | 'mcp' | 'other';
  readonly method: string;
  /** The Host header the request came with. */
  readonly host: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly dpop: string | null;
  readonly proofHeader: Record<string, unknown> | null;
  readonly proofClaims: Record<string, unknown> | null;
  /** Thumbprint of the proof's jwk. */
  readonly jkt: string | null;
  readonly form: Record<string, string> | null;
  readonly rpcMethod: string | null;
  status: number;
  error: string | null;
  nonceDelivered: string | null;
}

interface IssuedToken {
  readonly accessToken: string;
  readonly jkt: string;
  readonly refreshToken: string | null;
}

const athOf = (token: string): string => createHash('sha256').update(token, 'ascii').digest('base64url');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function createMcpServer(): Server {
  const server = new Server({ name: 'mini-world', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [{ name: 'echo', inputSchema: { type: 'object' as const, properties: { message: { type: 'string' } } } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, (request) => ({
    content: [{ type: 'text' as const, text: String(request.params.arguments?.['message'] ?? '') }],
  }));
  return server;
}

export class MiniWorld {
  readonly requests: RecordedRequest[] = [];
  readonly tokens: IssuedToken[] = [];
  readonly asNoncesIssued: string[] = [];
  readonly mcpNoncesIssued: string[] = [];
  private readonly http: HttpServer;
  /** A second listener with the same handler: another origin. */
  private readonly other: HttpServer;
  private origin = '';
  private otherOrigin = '';
  private readonly tokenActions: TokenAction[];
  private readonly mcpActions: { post: McpAction[]; get: McpAction[]; delete: McpAction[] };
  private readonly codes = new Set<string>();
  private readonly jtis = new Set<string>();
  private readonly sessions = new Map<string, StreamableHTTPServerTransport>();
  private redirectedMcp = false;
  private rejectedProof = false;

  constructor(private readonly options: MiniWorldOptions = {}) {
    this.tokenActions = [...(options.tokenActions ?? [])];
    this.mcpActions = {
      post: [...(options.mcpActions?.post ?? [])],
      get: [...(options.mcpActions?.get ?? [])],
      delete: [...(options.mcpActions?.delete ?? [])],
    };
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    };
    this.http = createServer(handler);
    this.other = createServer(handler);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => this.other.listen(0, '127.0.0.1', resolve));
    this.otherOrigin = `http://127.0.0.1:${(this.other.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const transport of this.sessions.values()) await transport.close().catch(() => {});
    for (const server of [this.http, this.other]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** The origin of the second listener (see `redirectToOtherOrigin`). */
  get elsewhere(): string {
    return this.otherOrigin;
  }

  get mcpUrl(): string {
    return `${this.origin}/mcp`;
  }

  get tokenPath(): string {
    return this.options.tokenPath ?? '/token';
  }

  /** Requests to one endpoint, in arrival order. */
  at(endpoint: RecordedRequest['endpoint']): RecordedRequest[] {
    return this.requests.filter((r) => r.endpoint === endpoint);
  }

  /** Authenticated MCP requests (the ones that carried an Authorization header). */
  get mcpAuthenticated(): RecordedRequest[] {
    return this.at('mcp').filter((r) => r.authorization !== null);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const dpopHeader = req.headers['dpop'];
    const dpop = typeof dpopHeader === 'string' ? dpopHeader : null;
    let proofHeader: Record<string, unknown> | null = null;
    let proofClaims: Record<string, unknown> | null = null;
    let jkt: string | null = null;
    if (dpop !== null) {
      try {
        proofHeader = decodeProtectedHeader(dpop) as Record<string, unknown>;
        proofClaims = decodeJwt(dpop) as Record<string, unknown>;
        jkt = await calculateJwkThumbprint(proofHeader['jwk'] as JWK);
      } catch {
        // recorded as undecodable
      }
    }
    const body = method === 'POST' ? await readBody(req) : '';
    const endpoint: RecordedRequest['endpoint'] =
      path.startsWith('/.well-known/oauth-protected-resource')
        ? 'prm'
        : path === '/.well-known/oauth-authorization-server'
          ? 'as-metadata'
          : path === '/register'
            ? 'register'
            : path === '/authorize'
              ? 'authorize'
              : path === new URL(this.tokenPath, this.origin).pathname || path === this.options.tokenRedirectFrom
                ? 'token'
                : path === '/mcp' || path === '/mcp-moved'
                  ? 'mcp'
                  : 'other';
    let rpcMethod: string | null = null;
    let parsed: unknown = undefined;
    if (endpoint === 'mcp' && body !== '') {
      parsed = JSON.parse(body) as unknown;
      const m = (parsed as { method?: unknown }).method;
      rpcMethod = typeof m === 'string' ? m : null;
    }
    const record: RecordedRequest = {
      seq: this.requests.length,
      endpoint,
      method,
      host: req.headers.host ?? '',
      path: `${path}${url.search}`,
      authorization: req.headers.authorization ?? null,
      dpop,
      proofHeader,
      proofClaims,
      jkt,
      form: endpoint === 'token' ? Object.fromEntries(new URLSearchParams(body)) : null,
      rpcMethod,
      status: 0,
      error: null,
      nonceDelivered: null,
    };
    this.requests.push(record);
    const send = (status: number, headers: Record<string, string>, json?: unknown): void => {
      record.status = status;
      record.nonceDelivered = headers['DPoP-Nonce'] ?? null;
      res.writeHead(status, json !== undefined ? { ...headers, 'content-type': 'application/json' } : headers);
      res.end(json !== undefined ? JSON.stringify(json) : undefined);
    };

    switch (endpoint) {
      case 'prm':
        // RFC 9728 §3.3: the metadata names the resource it was fetched for (path and query).
        return send(200, {}, {
          resource: `${this.origin}${path.slice('/.well-known/oauth-protected-resource'.length)}${url.search}`,
          authorization_servers: [this.origin],
          ...(this.options.boundTokensRequired !== undefined ? { dpop_bound_access_tokens_required: this.options.boundTokensRequired } : {}),
        });
      case 'as-metadata':
        return send(200, {}, {
          issuer: this.origin,
          authorization_endpoint: `${this.origin}/authorize`,
          token_endpoint: `${this.origin}${this.options.tokenRedirectFrom ?? this.tokenPath}`,
          registration_endpoint: `${this.origin}/register`,
          code_challenge_methods_supported: ['S256'],
          ...(this.options.algs === null ? {} : { dpop_signing_alg_values_supported: this.options.algs ?? ['ES256', 'EdDSA'] }),
        });
      case 'register':
        return send(201, {}, { client_id: `client-${randomUUID()}`, ...(JSON.parse(body) as object) });
      case 'authorize': {
        const code = `code-${randomUUID()}`;
        this.codes.add(code);
        const target = new URL(url.searchParams.get('redirect_uri') ?? '');
        target.searchParams.set('code', code);
        target.searchParams.set('state', url.searchParams.get('state') ?? '');
        target.searchParams.set('iss', this.origin);
        return send(302, { location: target.href });
      }
      case 'token':
        return this.token(record, url, send);
      case 'mcp':
        return this.mcp(record, req, res, url, parsed, send);
      default:
        return send(404, {});
    }
  }

  /** RFC 9449 §4.3 checks shared by both servers; returns a problem or null. */
  private async checkProof(record: RecordedRequest, htu: string): Promise<string | null> {
    if (record.dpop === null || record.proofHeader === null || record.proofClaims === null) return 'missing or undecodable proof';
    const { typ, alg, jwk } = record.proofHeader;
    if (typ !== 'dpop+jwt') return 'typ is not dpop+jwt';
    try {
      await jwtVerify(record.dpop, await importJWK(jwk as JWK, alg as string));
    } catch {
      return 'bad signature';
    }
    const claims = record.proofClaims;
    if (claims['htm'] !== record.method) return 'htm mismatch';
    if (claims['htu'] !== htu) return `htu ${String(claims['htu'])} is not ${htu}`;
    if (typeof claims['iat'] !== 'number' || Math.abs(claims['iat'] - Date.now() / 1000) > 300) return 'iat out of window';
    if (typeof claims['jti'] !== 'string' || this.jtis.has(claims['jti'])) return 'jti missing or replayed';
    this.jtis.add(claims['jti']);
    return null;
  }

  private async token(record: RecordedRequest, url: URL, send: (s: number, h: Record<string, string>, j?: unknown) => void): Promise<void> {
    if (this.options.tokenRedirectFrom !== undefined && url.pathname === this.options.tokenRedirectFrom) {
      return send(307, { location: `${this.origin}${this.tokenPath}` });
    }
    const fail = (error: string, headers: Record<string, string> = {}): void => {
      record.error = error;
      send(400, headers, { error });
    };
    const problem = await this.checkProof(record, `${this.origin}${new URL(this.tokenPath, this.origin).pathname}`);
    if (problem !== null) return fail('invalid_dpop_proof');
    const lastNonce = this.asNoncesIssued.at(-1);
    if (lastNonce !== undefined && record.proofClaims?.['nonce'] !== lastNonce) return fail('use_dpop_nonce', { 'DPoP-Nonce': lastNonce });
    const form = record.form ?? {};
    let refreshOf: IssuedToken | undefined;
    if (form['grant_type'] === 'authorization_code') {
      if (!this.codes.has(form['code'] ?? '')) return fail('invalid_grant');
    } else if (form['grant_type'] === 'refresh_token') {
      refreshOf = this.tokens.find((t) => t.refreshToken !== null && t.refreshToken === form['refresh_token']);
      // RFC 9449 §5: a public client's refresh must be proven with the same key.
      if (refreshOf === undefined || refreshOf.jkt !== record.jkt) return fail('invalid_grant');
    } else {
      return fail('unsupported_grant_type');
    }
    const action = this.tokenActions.shift() ?? { kind: 'ok' };
    if (action.kind === 'use-dpop-nonce') {
      this.asNoncesIssued.push(action.nonce);
      return fail('use_dpop_nonce', { 'DPoP-Nonce': action.nonce });
    }
    if (action.kind === 'invalid-dpop-proof') return fail('invalid_dpop_proof');
    // Only a token response uses up the code (RFC 6749 §4.1.2: single use).
    this.codes.delete(form['code'] ?? '');
    const issued: IssuedToken = {
      accessToken: `at-${randomUUID()}${this.options.paddedTokens === true ? '==' : ''}`,
      jkt: record.jkt ?? '',
      refreshToken: this.options.refreshTokens === true ? `rt-${randomUUID()}` : null,
    };
    this.tokens.push(issued);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (action.kind === 'ok-new-nonce') {
      this.asNoncesIssued.push(action.nonce);
      headers['DPoP-Nonce'] = action.nonce;
    }
    send(200, headers, {
      access_token: issued.accessToken,
      token_type: this.options.tokenType ?? 'DPoP',
      expires_in: this.options.expiresIn ?? 3600,
      ...(issued.refreshToken !== null ? { refresh_token: issued.refreshToken } : {}),
    });
  }

  private challenge(url: URL, params: string): string {
    const dpop = `DPoP algs="ES256 EdDSA", resource_metadata="${this.origin}/.well-known/oauth-protected-resource${url.pathname}${url.search}"${params}`;
    return this.options.challengePrefix !== undefined ? `${this.options.challengePrefix}, ${dpop}` : dpop;
  }

  private async mcp(
    record: RecordedRequest,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    parsed: unknown,
    send: (s: number, h: Record<string, string>, j?: unknown) => void,
  ): Promise<void> {
    const reject = (error: string, headers: Record<string, string> = {}): void => {
      record.error = error;
      send(401, { 'WWW-Authenticate': this.challenge(url, `, error="${error}"`), ...headers }, { error });
    };
    if (record.authorization === null) {
      return send(401, { 'WWW-Authenticate': this.challenge(url, '') });
    }
    const [scheme, accessToken] = record.authorization.split(' ');
    const token = this.tokens.find((t) => t.accessToken === accessToken);
    if (token !== undefined && scheme?.toLowerCase() === 'bearer' && this.options.tokenType?.toLowerCase() === 'bearer' && this.options.boundTokensRequired !== true) {
      // RFC 6750: an unbound token where binding is not required is a bearer token.
      record.status = 200;
      await this.serveMcp(req, res, parsed);
      return;
    }
    if (scheme?.toLowerCase() !== 'dpop' || token === undefined) return reject('invalid_token');
    const problem = await this.checkProof(record, `${this.origin}${url.pathname}`);
    if (problem !== null || record.proofClaims?.['ath'] !== athOf(token.accessToken) || record.jkt !== token.jkt) {
      return reject('invalid_dpop_proof');
    }
    // RFC 9449 §11.3: once a nonce was provided, a proof must carry one the server issued.
    const nonce = record.proofClaims?.['nonce'];
    const lastNonce = this.mcpNoncesIssued.at(-1);
    if (lastNonce !== undefined && (typeof nonce !== 'string' || !this.mcpNoncesIssued.includes(nonce))) {
      return reject('use_dpop_nonce', { 'DPoP-Nonce': lastNonce });
    }
    if (this.options.invalidProofOn === record.method && !this.rejectedProof) {
      this.rejectedProof = true;
      return reject('invalid_dpop_proof');
    }
    if (this.options.redirectFirstMcpPost === true && !this.redirectedMcp && record.method === 'POST') {
      this.redirectedMcp = true;
      const origin = this.options.redirectToOtherOrigin === true ? this.otherOrigin : this.origin;
      return send(307, { location: `${origin}/mcp-moved` });
    }
    const list = record.method === 'POST' ? this.mcpActions.post : record.method === 'GET' ? this.mcpActions.get : this.mcpActions.delete;
    const action = list.shift() ?? { kind: 'ok' };
    switch (action.kind) {
      case 'use-dpop-nonce':
        this.mcpNoncesIssued.push(action.nonce);
        return reject('use_dpop_nonce', { 'DPoP-Nonce': action.nonce });
      case 'invalid-token':
        return reject('invalid_token');
      case 'transient':
        return send(action.status, action.retryAfter !== undefined ? { 'Retry-After': String(action.retryAfter) } : {});
      case 'ok-new-nonce':
        this.mcpNoncesIssued.push(action.nonce);
        res.setHeader('DPoP-Nonce', action.nonce);
        record.nonceDelivered = action.nonce;
        break;
      case 'ok':
        break;
    }
    record.status = 200;
    await this.serveMcp(req, res, parsed);
  }

  /** Hands an accepted request to the MCP SDK server (stateful, so DELETE ends a session). */
  private async serveMcp(req: IncomingMessage, res: ServerResponse, parsed: unknown): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? this.sessions.get(sessionId) : undefined;
    if (transport === undefined) {
      if (req.method !== 'POST' || (parsed as { method?: unknown } | undefined)?.method !== 'initialize') {
        res.writeHead(404).end();
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          this.sessions.set(id, created);
        },
      });
      transport = created;
      await createMcpServer().connect(created);
    }
    await transport.handleRequest(req, res, parsed);
  }
}

/** Starts a mini world; remember to stop it. */
export function startMiniWorld(options: MiniWorldOptions = {}): Promise<MiniWorld> {
  return new MiniWorld(options).start();
}
