import { accessTokenHash } from '../../src/dpop/ath.ts';
import { BASE_SCHEDULE } from '../../src/schedule/defaults.ts';
import type { ClientOutcome, IssuedToken, ProofObservation, ServerRole, Trace, TraceEntry } from '../../src/trace/types.ts';
import { DEFAULT_JUDGE_OPTIONS, type JudgeInput, type JudgeOptions } from '../../src/checks/types.ts';

/**
 * Builds synthetic traces for judge unit tests: each step is one request with
 * explicit arrival and response times, so interleavings can be written down
 * exactly (no servers, no clocks).
 */
export const AS = 'http://127.0.0.1:1000';
export const MCP = 'http://127.0.0.1:2000';
/** With `sameOrigin`, both servers listen here (topology same-origin). */
export const SHARED = 'http://127.0.0.1:3000';
export const KEY = 'jkt-of-client-key';
const T0 = 1_800_000_000_000;

export interface ProofSpec {
  jti: string;
  nonce?: string;
  htm?: string;
  htu?: string;
  /** Default: the hash of the step's token; null leaves the claim out. */
  ath?: string | null;
  iat?: number;
  jkt?: string;
  alg?: string;
  /** `kty` of the header's `jwk` (default EC). */
  kty?: string;
}

export interface Step {
  server?: ServerRole;
  method?: string;
  at: number;
  done: number;
  proof?: ProofSpec | null;
  token?: string;
  scheme?: string;
  /** A raw Authorization header that is not "<scheme> <token>" (the trace's `malformed` kind). */
  malformedAuthorization?: string;
  session?: string | null;
  key?: string;
  status?: number;
  error?: string | null;
  nonce?: string | null;
  issuesToken?: string;
  issuesSession?: string;
  challenge?: string;
  grant?: TraceEntry['grant'];
  decision?: TraceEntry['decision'];
  /** Issuance order of `nonce` at its server; by default the order of first delivery. */
  generation?: number;
  /** Endpoint other than the token or MCP endpoint (metadata, registration, …). */
  endpoint?: TraceEntry['endpoint'];
  /** Full request URL; defaults to the endpoint's URL. */
  url?: string;
  responseHeaders?: Record<string, string>;
  /** The refresh token issued with `issuesToken`. */
  issuesRefresh?: string;
  /** token_type of `issuesToken`, when it differs from the builder's. */
  issuedTokenType?: string;
}

export interface TraceBuilderOptions {
  /** Both servers on one origin (RFC 6454), as with topology same-origin. */
  readonly sameOrigin?: boolean;
}

export class TraceBuilder {
  private readonly entries: TraceEntry[] = [];
  private readonly tokens: IssuedToken[] = [];
  private readonly generations = new Map<number, number>();
  private readonly as: string;
  private readonly mcp: string;
  constructor(
    private readonly tokenType = 'DPoP',
    options: TraceBuilderOptions = {},
  ) {
    this.as = options.sameOrigin ? SHARED : AS;
    this.mcp = options.sameOrigin ? SHARED : MCP;
  }

  add(step: Step): number {
    const seq = this.entries.length;
    const server = step.server ?? 'mcp';
    const method = step.method ?? 'POST';
    const endpoint = step.endpoint ?? (server === 'as' ? 'token' : 'mcp');
    const url = step.url ?? (server === 'as' ? `${this.as}/token` : `${this.mcp}/mcp`);
    const token = step.token;
    const proof: ProofObservation | null =
      step.proof === null || step.proof === undefined
        ? null
        : {
            count: 1,
            raw: 'x.y.z',
            header: { typ: 'dpop+jwt', alg: step.proof.alg ?? 'ES256', jwk: { kty: step.proof.kty ?? 'EC' } },
            claims: {
              jti: step.proof.jti,
              htm: step.proof.htm ?? method,
              htu: step.proof.htu ?? url,
              iat: step.proof.iat ?? (T0 + step.at) / 1000,
              ...(step.proof.nonce !== undefined ? { nonce: step.proof.nonce } : {}),
              ...(token !== undefined && step.proof.ath !== null ? { ath: step.proof.ath ?? accessTokenHash(token) } : {}),
            },
            signatureValid: true,
            jkt: step.proof.jkt ?? KEY,
            problems: [],
          };
    const issued = step.issuesToken;
    if (issued !== undefined) {
      const tokenType = step.issuedTokenType ?? this.tokenType;
      const bound = tokenType.toLowerCase() !== 'bearer';
      this.tokens.push({ id: `t${this.tokens.length}`, accessToken: issued, tokenType, jkt: bound ? KEY : null, refreshToken: step.issuesRefresh ?? null, seq, grantType: 'authorization_code', expiresAt: T0 + 3_600_000, family: 'f0' });
    }
    const tokenId = token === undefined ? null : (this.tokens.find((t) => t.accessToken === token)?.id ?? null);
    this.entries.push({
      seq,
      server,
      endpoint,
      receivedAt: T0 + step.at,
      respondedAt: T0 + step.done,
      method,
      url,
      htuTarget: url,
      proof,
      authorization:
        step.malformedAuthorization !== undefined
          ? { kind: 'malformed', raw: step.malformedAuthorization }
          : token === undefined
            ? { kind: 'none' }
            : { kind: 'credentials', scheme: step.scheme ?? 'DPoP', token, tokenId },
      sessionId: step.session ?? null,
      // An MCP POST carries one JSON-RPC request whose id follows the retry key, as a real client's retry does.
      rpc: endpoint === 'mcp' && method === 'POST' ? [{ method: 'tools/list', id: step.key ?? `k${seq}` }] : [],
      grant: step.grant ?? (endpoint === 'token' ? { type: 'authorization_code', code: 'c', refreshToken: null } : null),
      retryKey: `${server} ${method} ${step.key ?? `k${seq}`}`,
      decision: step.decision ?? { kind: 'scheduled', index: 0, action: 'ok' },
      status: step.status ?? 200,
      responseHeaders: { ...(step.challenge ? { 'www-authenticate': step.challenge } : {}), ...step.responseHeaders },
      error: step.error ?? null,
      nonceDelivered: step.nonce ?? null,
      issuedTokenId: issued !== undefined ? this.tokens[this.tokens.length - 1]!.id : null,
      issuedSessionId: step.issuesSession ?? null,
    });
    if (step.generation !== undefined) this.generations.set(seq, step.generation);
    return seq;
  }

  trace(): Trace {
    const firstSeen = new Map<string, number>();
    const nonces = this.entries
      .filter((e) => e.nonceDelivered !== null)
      .map((e) => {
        const key = `${e.server} ${e.nonceDelivered}`;
        if (!firstSeen.has(key)) firstSeen.set(key, [...firstSeen.keys()].filter((k) => k.startsWith(`${e.server} `)).length);
        return { server: e.server, value: e.nonceDelivered!, seq: e.seq, generation: this.generations.get(e.seq) ?? firstSeen.get(key)! };
      });
    return { asOrigin: this.as, mcpOrigin: this.mcp, elsewhereOrigin: null, tokenEndpoint: `${this.as}/token`, mcpUrl: `${this.mcp}/mcp`, entries: this.entries, tokens: this.tokens, nonces, refused: [], capped: false };
  }

  input(outcome: Partial<ClientOutcome> = {}, options: Partial<JudgeOptions> = {}): JudgeInput {
    return {
      trace: this.trace(),
      schedule: BASE_SCHEDULE,
      outcome: { exitCode: 0, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1, ...outcome },
      options: { ...DEFAULT_JUDGE_OPTIONS, ...options },
    };
  }
}

/** A trace prefix: one token request that issues `token`. */
export function withToken(b: TraceBuilder, token = 'AT1'): void {
  b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'as-1' }, issuesToken: token });
}
