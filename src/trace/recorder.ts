import type {
  IssuedToken,
  NonceIssue,
  ServerRole,
  Trace,
  TraceEntry,
} from './types.ts';

/** The part of an entry known when the request arrives. */
export type RequestFacts = Omit<
  TraceEntry,
  | 'seq'
  | 'respondedAt'
  | 'decision'
  | 'status'
  | 'responseHeaders'
  | 'error'
  | 'nonceDelivered'
  | 'issuedTokenId'
  | 'issuedSessionId'
>;

/** The part of an entry known once the response is decided. */
export type ResponseFacts = Pick<
  TraceEntry,
  'decision' | 'status' | 'responseHeaders' | 'error' | 'nonceDelivered' | 'issuedTokenId' | 'issuedSessionId'
>;

export interface TraceEndpoints {
  readonly asOrigin: string;
  readonly mcpOrigin: string;
  readonly elsewhereOrigin: string | null;
  readonly tokenEndpoint: string;
  readonly mcpUrl: string;
}

/**
 * Both test servers append to one recorder, so the trace has a single arrival
 * order across the authorization server and the MCP server. It also holds the
 * request cap: a runaway client cannot make a run grow without bound.
 */
export class TraceRecorder {
  private readonly pending = new Map<number, RequestFacts>();
  private readonly done: TraceEntry[] = [];
  private readonly tokenList: IssuedToken[] = [];
  private readonly tokenByValue = new Map<string, IssuedToken>();
  private readonly nonceList: NonceIssue[] = [];
  private readonly refusedList: { at: number; server: ServerRole; reason: string }[] = [];
  private nextSeq = 0;
  private capHit = false;
  private readonly capListeners: (() => void)[] = [];
  private endpoints: TraceEndpoints = { asOrigin: '', mcpOrigin: '', elsewhereOrigin: null, tokenEndpoint: '', mcpUrl: '' };

  constructor(private readonly maxRequests: number) {}

  setEndpoints(endpoints: TraceEndpoints): void {
    this.endpoints = endpoints;
  }

  /** Registers a request; returns its `seq`, or null when the request cap is reached. */
  begin(facts: RequestFacts): number | null {
    if (this.nextSeq >= this.maxRequests) {
      if (!this.capHit) {
        this.capHit = true;
        for (const listener of this.capListeners) listener();
      }
      return null;
    }
    const seq = this.nextSeq++;
    this.pending.set(seq, facts);
    return seq;
  }

  /** `nonceGeneration`: the issuance order of `response.nonceDelivered` at its server (see `NonceIssue`). */
  finish(seq: number, respondedAt: number, response: ResponseFacts, nonceGeneration = -1): void {
    const facts = this.pending.get(seq);
    if (!facts) return;
    this.pending.delete(seq);
    this.done.push({ ...facts, seq, respondedAt, ...response });
    if (response.nonceDelivered !== null) {
      this.nonceList.push({ server: facts.server, value: response.nonceDelivered, seq, generation: nonceGeneration });
    }
  }

  addToken(token: IssuedToken): void {
    this.tokenList.push(token);
    this.tokenByValue.set(token.accessToken, token);
  }

  findToken(accessToken: string): IssuedToken | undefined {
    return this.tokenByValue.get(accessToken);
  }

  refuse(server: ServerRole, at: number, reason: string): void {
    this.refusedList.push({ at, server, reason });
  }

  onCap(listener: () => void): void {
    this.capListeners.push(listener);
  }

  get capped(): boolean {
    return this.capHit;
  }

  get requestCount(): number {
    return this.nextSeq;
  }

  /**
   * The trace so far. Requests still in flight (e.g. an open SSE stream that
   * never got a response) are included with status 0 so nothing is lost.
   */
  snapshot(): Trace {
    const inFlight: TraceEntry[] = [...this.pending.entries()].map(([seq, facts]) => ({
      ...facts,
      seq,
      respondedAt: facts.receivedAt,
      decision: { kind: 'rejected', error: 'no_response', reason: 'no response was sent before the run ended' },
      status: 0,
      responseHeaders: {},
      error: null,
      nonceDelivered: null,
      issuedTokenId: null,
      issuedSessionId: null,
    }));
    const entries = [...this.done, ...inFlight].sort((a, b) => a.seq - b.seq);
    const nonces = [...this.nonceList].sort((a, b) => a.seq - b.seq);
    return {
      ...this.endpoints,
      entries,
      tokens: [...this.tokenList],
      nonces,
      refused: [...this.refusedList],
      capped: this.capHit,
    };
  }
}
