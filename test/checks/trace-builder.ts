import { accessTokenHash } from '../../src/dpop/ath.ts';
import { BASE_SCHEDULE } from '../../src/schedule/defaults.ts';
import type { ClientOutcome, IssuedToken, ProofObservation, Trace, TraceEntry } from '../../src/trace/types.ts';
import { DEFAULT_JUDGE_OPTIONS, type JudgeInput, type JudgeOptions } from '../../src/checks/types.ts';

/**
 * Builds synthetic traces for judge unit tests: each step is one request with
 * explicit arrival and response times, so interleavings can be written down
 * exactly (no servers, no clocks).
 */
export const AS = 'http://127.0.0.1:1000';
export const MCP = 'http://127.0.0.1:2000';
export const KEY = 'jkt-of-client-key';
const T0 = 1_800_000_000_000;

export interface ProofSpec {
  jti: string;
  nonce?: string;
  htm?: string;
  htu?: string;
  ath?: string;
  iat?: number;
  jkt?: string;
  alg?: string;
}

export interface Step {
  server?: 'as' | 'mcp';
  method?: string;
  at: number;
  done: number;
  proof?: ProofSpec | null;
  token?: string;
  scheme?: string;
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
}

export class TraceBuilder {
  private readonly entries: TraceEntry[] = [];
  private readonly tokens: IssuedToken[] = [];
  constructor(private readonly tokenType = 'DPoP') {}

  add(step: Step): number {
    const seq = this.entries.length;
    const server = step.server ?? 'mcp';
    const method = step.method ?? 'POST';
    const url = server === 'as' ? `${AS}/token` : `${MCP}/mcp`;
    const token = step.token;
    const proof: ProofObservation | null =
      step.proof === null || step.proof === undefined
        ? null
        : {
            count: 1,
            raw: 'x.y.z',
            header: { typ: 'dpop+jwt', alg: step.proof.alg ?? 'ES256', jwk: { kty: 'EC' } },
            claims: {
              jti: step.proof.jti,
              htm: step.proof.htm ?? method,
              htu: step.proof.htu ?? url,
              iat: step.proof.iat ?? (T0 + step.at) / 1000,
              ...(step.proof.nonce !== undefined ? { nonce: step.proof.nonce } : {}),
              ...(token !== undefined ? { ath: step.proof.ath ?? accessTokenHash(token) } : {}),
            },
            signatureValid: true,
            jkt: step.proof.jkt ?? KEY,
            problems: [],
          };
    const issued = step.issuesToken;
    if (issued !== undefined) {
      this.tokens.push({ id: `t${this.tokens.length}`, accessToken: issued, tokenType: this.tokenType, jkt: KEY, refreshToken: null, seq, grantType: 'authorization_code', expiresAt: T0 + 3_600_000 });
    }
    const tokenId = token === undefined ? null : (this.tokens.find((t) => t.accessToken === token)?.id ?? null);
    this.entries.push({
      seq,
      server,
      endpoint: server === 'as' ? 'token' : 'mcp',
      receivedAt: T0 + step.at,
      respondedAt: T0 + step.done,
      method,
      url,
      htuTarget: url,
      proof,
      authorization: token === undefined ? { kind: 'none' } : { kind: 'credentials', scheme: step.scheme ?? 'DPoP', token, tokenId },
      sessionId: step.session ?? null,
      rpc: [],
      grant: step.grant ?? (server === 'as' ? { type: 'authorization_code', code: 'c', refreshToken: null } : null),
      retryKey: `${server} ${method} ${step.key ?? `k${seq}`}`,
      decision: step.decision ?? { kind: 'scheduled', index: 0, action: 'ok' },
      status: step.status ?? 200,
      responseHeaders: step.challenge ? { 'www-authenticate': step.challenge } : {},
      error: step.error ?? null,
      nonceDelivered: step.nonce ?? null,
      issuedTokenId: issued !== undefined ? this.tokens[this.tokens.length - 1]!.id : null,
      issuedSessionId: step.issuesSession ?? null,
    });
    return seq;
  }

  trace(): Trace {
    const nonces = this.entries.filter((e) => e.nonceDelivered !== null).map((e) => ({ server: e.server, value: e.nonceDelivered!, seq: e.seq }));
    return { asOrigin: AS, mcpOrigin: MCP, tokenEndpoint: `${AS}/token`, mcpUrl: `${MCP}/mcp`, entries: this.entries, tokens: this.tokens, nonces, refused: [], capped: false };
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
