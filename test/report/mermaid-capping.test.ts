import { describe, expect, it } from 'vitest';
import { collapseRuns, selectDiagramParts } from '../../src/report/diagram-selection.ts';
import { sequenceDiagram } from '../../src/report/mermaid.ts';
import type { Trace } from '../../src/trace/types.ts';
import { TraceBuilder, withToken } from '../checks/trace-builder.ts';
import { requestArrow, syntaxViolations } from './mermaid-syntax.ts';

/** 500 entries: a token request, then MCP requests that all differ (alternating method, rpc key, status). */
function distinctTrace(): Trace {
  const b = new TraceBuilder();
  withToken(b, 'AT1');
  for (let i = 1; i < 500; i++) {
    b.add({ at: 2 * i, done: 2 * i + 1, method: i % 2 === 0 ? 'POST' : 'GET', proof: { jti: `jti-${i}` }, token: 'AT1', status: 200 + (i % 7) });
  }
  return b.trace();
}

/** A retry storm: 1 token request, then 499 identical nonce challenges with a new nonce each time (RFC 9449 §9). */
function stormTrace(): Trace {
  const b = new TraceBuilder();
  withToken(b, 'AT1');
  for (let i = 1; i < 500; i++) {
    b.add({ at: 2 * i, done: 2 * i + 1, proof: { jti: `jti-${i}`, nonce: `n${i - 1}` }, token: 'AT1', key: 'list', status: 401, error: 'use_dpop_nonce', nonce: `n${i}` });
  }
  return b.trace();
}

const arrows = (diagram: string) => diagram.split('\n').filter((l) => /->>/.test(l)).length;
const omittedCount = (diagram: string) =>
  diagram
    .split('\n')
    .map((l) => /#8230; (\d+) request\(s\) omitted/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined)
    .reduce((sum, n) => sum + Number(n), 0);

describe('diagram collapsing and capping', () => {
  it('caps a 500-entry trace at 60 arrows plus the highlighted entries and their neighbours, and counts what it left out', () => {
    const trace = distinctTrace();
    const highlight = new Set([3, 250, 251, 420]);
    const diagram = sequenceDiagram(trace, highlight);
    expect(syntaxViolations(diagram)).toEqual([]);
    for (const seq of [2, 3, 4, 249, 250, 251, 252, 419, 420, 421]) expect(requestArrow(diagram, seq), `#${seq}`).toBeDefined();
    // The start and the end of the story are kept too.
    expect(requestArrow(diagram, 0)).toBeDefined();
    expect(requestArrow(diagram, 499)).toBeDefined();
    expect(arrows(diagram)).toBeLessThanOrEqual(60);
    const shown = diagram.split('\n').filter((l) => /Client->>/.test(l)).length;
    expect(shown + omittedCount(diagram)).toBe(500);
    expect(diagram.match(/rect rgb/g)).toHaveLength(4);
  });

  it('keeps highlighted entries and their neighbours even when they alone exceed the budget', () => {
    const highlight = new Set(Array.from({ length: 20 }, (_, i) => i * 25));
    const diagram = sequenceDiagram(distinctTrace(), highlight, { maxArrows: 10 });
    for (const seq of highlight) expect(requestArrow(diagram, seq), `#${seq}`).toBeDefined();
    for (const seq of [1, 24, 26, 474, 476]) expect(requestArrow(diagram, seq), `neighbour #${seq}`).toBeDefined();
    expect(requestArrow(diagram, 2)).toBeUndefined();
    expect(diagram.match(/rect rgb/g)).toHaveLength(20);
    expect(syntaxViolations(diagram)).toEqual([]);
  });

  it('draws a short trace in full', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 2, done: 3, proof: { jti: 'a' }, token: 'AT1' });
    const parts = selectDiagramParts(b.trace().entries, new Set());
    expect(parts.map((p) => p.kind)).toEqual(['entry', 'entry']);
  });

  it('folds a retry storm into first, note, last, around a highlighted entry', () => {
    const trace = stormTrace();
    const items = collapseRuns(trace.entries, new Set([250]), 4);
    expect(items.map((i) => (i.kind === 'entry' ? `e${i.entry.seq}` : `r${i.entries[0]!.seq}-${i.entries[i.entries.length - 1]!.seq}`))).toEqual(['e0', 'r1-249', 'e250', 'r251-499']);
    const diagram = sequenceDiagram(trace, new Set([250]));
    expect(syntaxViolations(diagram)).toEqual([]);
    for (const seq of [0, 1, 249, 250, 251, 499]) expect(requestArrow(diagram, seq), `#${seq}`).toBeDefined();
    expect(requestArrow(diagram, 100)).toBeUndefined();
    expect(diagram).toContain('#8230; 247 more like #35;1 (#35;2#8211;#35;248)');
    expect(diagram).toContain('#8230; 247 more like #35;251 (#35;252#8211;#35;498)');
    expect(arrows(diagram)).toBe(2 + 4 + 2 + 4);
  });

  it('does not fold short runs or runs that differ in what is drawn', () => {
    const b = new TraceBuilder();
    withToken(b);
    for (let i = 0; i < 3; i++) b.add({ at: 2 + i, done: 3 + i, proof: { jti: `a${i}` }, token: 'AT1' });
    for (let i = 0; i < 4; i++) b.add({ at: 10 + i, done: 11 + i, proof: { jti: `b${i}` }, token: 'AT1', status: i % 2 === 0 ? 202 : 200 });
    const items = collapseRuns(b.trace().entries, new Set(), 4);
    expect(items.every((i) => i.kind === 'entry')).toBe(true);
  });
});
