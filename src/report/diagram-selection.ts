import type { TraceEntry } from '../trace/types.ts';
import { requestTarget } from './entry-labels.ts';

/**
 * What a sequence diagram shows of a long trace. A retry storm is hundreds
 * of requests that differ only in jti, iat and nonce values; the reader needs
 * the first and last of them, the highlighted evidence and its neighbours.
 */

/** One entry drawn in full, or a run of look-alike entries drawn as first, note, last. */
export type DiagramItem =
  | { readonly kind: 'entry'; readonly entry: TraceEntry }
  | { readonly kind: 'run'; readonly entries: readonly TraceEntry[] };

/** A stretch of the trace left out of the diagram. */
export interface OmittedItems {
  readonly kind: 'omitted';
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

export type DiagramPart = DiagramItem | OmittedItems;

export interface SelectionOptions {
  /** Arrows the diagram may draw (two per entry) beyond those needed for highlighted entries and their neighbours. */
  readonly maxArrows: number;
  /** Shortest run of look-alike entries that is collapsed. */
  readonly minRun: number;
}

export const DEFAULT_SELECTION: SelectionOptions = { maxArrows: 60, minRun: 4 };

/**
 * What makes two requests look alike in a diagram: everything drawn except
 * values that change on every attempt (jti, iat, nonce values; RFC 9449 §4.2,
 * §8). Whether a nonce was sent or delivered still counts.
 */
function lookAlike(entry: TraceEntry): string {
  const auth = entry.authorization;
  const claims = entry.proof?.claims ?? null;
  return JSON.stringify([
    entry.server,
    entry.endpoint,
    entry.method,
    requestTarget(entry.url),
    entry.rpc.map((m) => m.method),
    auth.kind === 'credentials' ? [auth.scheme, auth.tokenId] : auth.kind,
    entry.proof === null ? null : [entry.proof.count, entry.proof.problems, claims === null ? null : [claims.nonce !== undefined, claims.htm, claims.htu]],
    entry.status,
    entry.error,
    entry.decision.kind,
    entry.nonceDelivered !== null,
    entry.issuedTokenId,
  ]);
}

function arrows(item: DiagramItem): number {
  return item.kind === 'entry' ? 2 : 4;
}

/** Folds runs of at least `minRun` consecutive look-alike, non-highlighted entries into one item. */
export function collapseRuns(entries: readonly TraceEntry[], highlight: ReadonlySet<number>, minRun: number): DiagramItem[] {
  const items: DiagramItem[] = [];
  let i = 0;
  while (i < entries.length) {
    const first = entries[i]!;
    let j = i + 1;
    if (!highlight.has(first.seq)) {
      const key = lookAlike(first);
      while (j < entries.length && !highlight.has(entries[j]!.seq) && lookAlike(entries[j]!) === key) j++;
    }
    if (j - i >= Math.max(minRun, 3)) items.push({ kind: 'run', entries: entries.slice(i, j) });
    else for (let k = i; k < j; k++) items.push({ kind: 'entry', entry: entries[k]! });
    i = j;
  }
  return items;
}

function seqsOf(item: DiagramItem): readonly TraceEntry[] {
  return item.kind === 'entry' ? [item.entry] : item.entries;
}

/**
 * Picks what to draw. Highlighted entries and the items next to them are
 * always kept; the rest of the arrow budget goes to the items nearest to them
 * or to the start and end of the trace. Consecutive left-out items become one
 * `omitted` part.
 */
export function selectDiagramParts(entries: readonly TraceEntry[], highlight: ReadonlySet<number>, options: SelectionOptions = DEFAULT_SELECTION): DiagramPart[] {
  const items = collapseRuns(entries, highlight, options.minRun);
  const total = items.reduce((sum, item) => sum + arrows(item), 0);
  if (total <= options.maxArrows) return items;

  const last = items.length - 1;
  const anchors = items.flatMap((item, index) => (seqsOf(item).some((e) => highlight.has(e.seq)) ? [index] : []));
  const keep = new Set<number>();
  let used = 0;
  const take = (index: number) => {
    if (index < 0 || index > last || keep.has(index)) return;
    keep.add(index);
    used += arrows(items[index]!);
  };
  for (const a of anchors) for (const index of [a - 1, a, a + 1]) take(index);

  const distance = (index: number) => Math.min(index, last - index, ...anchors.map((a) => Math.abs(a - index)));
  const rest = items.map((_, index) => index).filter((index) => !keep.has(index));
  rest.sort((a, b) => distance(a) - distance(b) || a - b);
  for (const index of rest) {
    if (used + arrows(items[index]!) > options.maxArrows) break;
    take(index);
  }

  const parts: DiagramPart[] = [];
  let gap: TraceEntry[] = [];
  const flush = () => {
    if (gap.length > 0) parts.push({ kind: 'omitted', count: gap.length, firstSeq: gap[0]!.seq, lastSeq: gap[gap.length - 1]!.seq });
    gap = [];
  };
  items.forEach((item, index) => {
    if (keep.has(index)) {
      flush();
      parts.push(item);
    } else gap.push(...seqsOf(item));
  });
  flush();
  return parts;
}
