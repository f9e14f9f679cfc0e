import type { NonceIssue, ServerRole, Trace, TraceEntry } from '../../trace/types.ts';
import { causalPasts } from './causality.ts';
import { derivedFrom } from './derived-value.ts';
import { groupBy, nonceClaim } from './trace-queries.ts';

/**
 * What a proof's `nonce` claim says about the client, against the newest
 * nonce it provably had (the "floor"). One rule for every nonce check:
 *
 * - Order is issuance order at the server (`NonceIssue.generation`), not
 *   arrival order (RFC 9449 §8.2: the newest nonce is the one issued last).
 * - "Newest" is the newest the client *received*: an older value is fine when
 *   a response that delivered it may have reached the client after the floor
 *   (it was not in the floor request's causal past).
 * - The other server's nonce is a FAILURE on separate origins (RFC 9449 §9:
 *   a nonce is only accepted by the server that issued it) and a WARNING on a
 *   shared origin, where "the server" is ambiguous and a client may keep one
 *   nonce per origin — unless it is stale under that reading too.
 * - A value no server issued is *mangled* when it is a piece or a decoration
 *   of one that was issued (cut at a comma, quoted, …); a wholly unrelated
 *   value can only come from elsewhere (an earlier run, via a persistent
 *   cache), and only a retry is blamed for it.
 */
export type NonceUse =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'stale'; readonly sent: string }
  | { readonly kind: 'foreign'; readonly sent: string; readonly from: NonceIssue; readonly level: 'WARNING' | 'FAILURE' }
  | { readonly kind: 'mangled'; readonly sent: string; readonly of: NonceIssue }
  | { readonly kind: 'unknown'; readonly sent: string };

/** RFC 6454 origin of a URL (the URL itself when it does not parse). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Everything the nonce rules need about one trace, computed once. */
export class NonceFacts {
  readonly sharedOrigin: boolean;
  readonly past: ReadonlyMap<number, ReadonlySet<number>>;
  private readonly bySeq: Map<number, TraceEntry>;
  /**
   * Indexes built once: a judge asks about every request, and a retry storm
   * makes hundreds of them, so a scan of every delivery per question would
   * make judging a capped trace take seconds.
   */
  private readonly byServer: ReadonlyMap<ServerRole, readonly NonceIssue[]>;
  private readonly byValue: ReadonlyMap<ServerRole, ReadonlyMap<string, readonly NonceIssue[]>>;
  private readonly byDeliverer: ReadonlyMap<number, NonceIssue>;

  constructor(readonly trace: Trace) {
    this.sharedOrigin = originOf(trace.asOrigin) === originOf(trace.mcpOrigin);
    this.past = causalPasts(trace);
    this.bySeq = new Map(trace.entries.map((e) => [e.seq, e]));
    const ordered = [...trace.nonces].sort((a, b) => a.generation - b.generation || a.seq - b.seq);
    this.byServer = groupBy(ordered, (n) => n.server);
    this.byValue = new Map([...this.byServer].map(([server, issued]) => [server, groupBy(issued, (n) => n.value)]));
    const deliverers = new Map<number, NonceIssue>();
    for (const n of trace.nonces) if (!deliverers.has(n.seq)) deliverers.set(n.seq, n);
    this.byDeliverer = deliverers;
  }

  /** A server's deliveries, oldest issuance first (ties by delivery order). */
  deliveries(server: ServerRole): readonly NonceIssue[] {
    return this.byServer.get(server) ?? [];
  }

  /** The delivery a challenge made (its nonce is the one the retry must carry, or a newer one). */
  deliveryOf(challenge: TraceEntry): NonceIssue | undefined {
    return this.byDeliverer.get(challenge.seq);
  }

  /** Deliveries whose response had been sent when `entry` arrived: the only ones the client can have. */
  private before(entry: TraceEntry, deliveries: readonly NonceIssue[]): NonceIssue[] {
    return deliveries.filter((d) => {
      const by = this.bySeq.get(d.seq);
      return by !== undefined && d.seq !== entry.seq && by.status !== 0 && by.respondedAt <= entry.receivedAt;
    });
  }

  /** Was `delivery` provably in the client's hands before it sent the request answered by `floor`? */
  private provablyBefore(delivery: NonceIssue, floor: NonceIssue): boolean {
    return delivery.seq === floor.seq || (this.past.get(floor.seq)?.has(delivery.seq) ?? false);
  }

  /**
   * The newest nonce of `server` the client provably had when it built
   * `entry` (a delivery in its causal past), or null.
   */
  floorFor(entry: TraceEntry): NonceIssue | null {
    const past = this.past.get(entry.seq);
    if (!past) return null;
    let floor: NonceIssue | null = null;
    for (const d of this.deliveries(entry.server)) if (past.has(d.seq) && (floor === null || d.generation >= floor.generation)) floor = d;
    return floor;
  }

  /** Judges the nonce `entry` carried against `floor` (no requirement when null). */
  use(entry: TraceEntry, floor: NonceIssue | null): NonceUse {
    const sent = nonceClaim(entry);
    if (sent === null) return floor === null ? { kind: 'fresh' } : { kind: 'missing' };
    const own = this.before(entry, this.byValue.get(entry.server)?.get(sent) ?? []);
    if (own.length > 0) {
      if (floor === null || own[0]!.generation >= floor.generation) return { kind: 'fresh' };
      // RFC 9449 §8.2: the newest *received*. A response that delivered this value and
      // was not provably in hand before the floor may have reached the client last.
      if (own.some((d) => !this.provablyBefore(d, floor))) return { kind: 'fresh' };
      return { kind: 'stale', sent };
    }
    const other: ServerRole = entry.server === 'as' ? 'mcp' : 'as';
    const foreign = this.before(entry, this.byValue.get(other)?.get(sent) ?? []);
    const from = foreign.at(-1);
    if (from) {
      if (!this.sharedOrigin) return { kind: 'foreign', sent, from, level: 'FAILURE' };
      // One nonce per origin: still stale when every delivery of it came before the floor.
      const staleForOrigin = floor !== null && foreign.every((d) => this.provablyBefore(d, floor));
      return { kind: 'foreign', sent, from, level: staleForOrigin ? 'FAILURE' : 'WARNING' };
    }
    const of = this.trace.nonces.find((n) => derivedFrom(sent, n.value));
    return of ? { kind: 'mangled', sent, of } : { kind: 'unknown', sent };
  }
}

/** One sentence on a nonce the rules did not accept (`use` is not `fresh`). */
export function describeNonceUse(use: Exclude<NonceUse, { kind: 'fresh' }>, expected: NonceIssue | null): string {
  const instead = expected === null ? '' : ` instead of ${JSON.stringify(expected.value)} (or a newer one) supplied by #${expected.seq}`;
  switch (use.kind) {
    case 'missing':
      return `carried no nonce${instead}`;
    case 'stale':
      return `carried the stale nonce ${JSON.stringify(use.sent)}${instead}`;
    case 'foreign':
      return `carried the other server's nonce ${JSON.stringify(use.sent)} (from #${use.from.seq})${instead}; nonces belong to the server that issued them`;
    case 'mangled':
      return `carried ${JSON.stringify(use.sent)}, a mangled copy of the nonce ${JSON.stringify(use.of.value)} from #${use.of.seq}${instead}; echo DPoP-Nonce byte for byte`;
    case 'unknown':
      return `carried the nonce ${JSON.stringify(use.sent)}, which no server issued in this run${instead}`;
  }
}
