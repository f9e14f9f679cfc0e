import { CHECKS } from '../checks/registry.ts';
import type { ServerRole, Trace, TraceEntry } from '../trace/types.ts';
import { DEFAULT_SELECTION, selectDiagramParts, type DiagramPart, type SelectionOptions } from './diagram-selection.ts';
import { requestLabel, responseLabel } from './entry-labels.ts';
import { mermaidShort, mermaidText, type MermaidText } from './mermaid-text.ts';
import { offendingClaim } from './offending-claim.ts';

/** Participant ids; neither is a Mermaid keyword (`as`, `end`, `note`…). */
const CLIENT = 'Client';
const PARTICIPANT: Readonly<Record<ServerRole, string>> = { as: 'AuthServer', mcp: 'McpServer', elsewhere: 'OtherOrigin' };
const ALL = `${CLIENT},${PARTICIPANT.mcp}`;
const HIGHLIGHT = 'rect rgb(255, 230, 230)';
const INDENT = '    ';

export interface DiagramOptions extends Partial<SelectionOptions> {
  /** For highlighted entries: the IDs of the checks whose evidence they are, named in the highlight note. */
  readonly checksBySeq?: ReadonlyMap<number, readonly string[]>;
}

const names = new Map<string, string>(CHECKS.map((c) => [c.id, c.name]));

function note(over: string, text: MermaidText): string {
  return `Note over ${over}: ${text}`;
}

function entryLines(entry: TraceEntry, trace: Trace): string[] {
  const server = PARTICIPANT[entry.server];
  return [`${CLIENT}->>${server}: ${requestLabel(entry)}`, `${server}-->>${CLIENT}: ${responseLabel(entry, trace)}`];
}

function highlightedLines(entry: TraceEntry, trace: Trace, checks: readonly string[]): string[] {
  const over = `${CLIENT},${PARTICIPANT[entry.server]}`;
  const notes = (checks.length > 0 ? checks : ['']).map((id) => {
    if (id === '') return note(over, mermaidText(`✗ evidence #${entry.seq}`));
    const claim = mermaidShort(offendingClaim(id, entry), 80);
    return note(over, `${mermaidText(`✗ ${names.get(id) ?? id}: `)}${claim}` as MermaidText);
  });
  return [HIGHLIGHT, ...entryLines(entry, trace).map((l) => `${INDENT}${l}`), ...notes.map((l) => `${INDENT}${l}`), 'end'];
}

function partLines(part: DiagramPart, trace: Trace, highlight: ReadonlySet<number>, checksBySeq: ReadonlyMap<number, readonly string[]>): string[] {
  if (part.kind === 'omitted') {
    return [note(ALL, mermaidText(`… ${part.count} request(s) omitted (#${part.firstSeq}–#${part.lastSeq})`))];
  }
  if (part.kind === 'entry') {
    return highlight.has(part.entry.seq) ? highlightedLines(part.entry, trace, checksBySeq.get(part.entry.seq) ?? []) : entryLines(part.entry, trace);
  }
  const first = part.entries[0]!;
  const last = part.entries[part.entries.length - 1]!;
  const middle = part.entries.length - 2;
  const over = `${CLIENT},${PARTICIPANT[first.server]}`;
  return [
    ...entryLines(first, trace),
    note(over, mermaidText(`… ${middle} more like #${first.seq} (#${part.entries[1]!.seq}–#${part.entries[middle]!.seq}), only jti/iat/nonce values differ`)),
    ...entryLines(last, trace),
  ];
}

function trailerLines(trace: Trace): string[] {
  const lines: string[] = [];
  const firstRefused = trace.refused[0];
  if (firstRefused !== undefined) {
    const where = firstRefused.server === 'as' ? 'authorization server' : 'MCP server';
    lines.push(
      note(ALL, `${mermaidText(`${trace.refused.length} request(s) refused by the HTTP layer before a server saw them (first, at the ${where}: `)}${mermaidShort(firstRefused.reason, 60)})` as MermaidText),
    );
  }
  if (trace.capped) lines.push(note(ALL, mermaidText('request cap reached: the servers stopped serving')));
  return lines;
}

/**
 * A Mermaid sequence diagram of a trace: one request arrow and one dashed
 * response arrow per entry, with the RFC 9449 §4.2 proof claims and §8/§9
 * nonces that matter. Entries in `highlight` (check evidence) are shaded and
 * annotated; long traces are collapsed and capped (see diagram-selection).
 * Every label is escaped, so client-controlled values (nonces, jti,
 * Authorization headers) cannot break the diagram.
 */
export function sequenceDiagram(trace: Trace, highlight: ReadonlySet<number>, options: DiagramOptions = {}): string {
  const selection: SelectionOptions = {
    maxArrows: options.maxArrows ?? DEFAULT_SELECTION.maxArrows,
    minRun: options.minRun ?? DEFAULT_SELECTION.minRun,
  };
  const checksBySeq = options.checksBySeq ?? new Map<number, readonly string[]>();
  const body =
    trace.entries.length === 0
      ? [note(ALL, mermaidText('the servers received no request'))]
      : selectDiagramParts(trace.entries, highlight, selection).flatMap((part) => partLines(part, trace, highlight, checksBySeq));
  const lines = [
    `participant ${CLIENT}`,
    `participant ${PARTICIPANT.as} as Authorization server`,
    `participant ${PARTICIPANT.mcp} as MCP server`,
    ...(trace.entries.some((e) => e.server === 'elsewhere') ? [`participant ${PARTICIPANT.elsewhere} as Another origin`] : []),
    ...body,
    ...trailerLines(trace),
  ];
  return ['sequenceDiagram', ...lines.map((l) => `${INDENT}${l}`)].join('\n');
}
