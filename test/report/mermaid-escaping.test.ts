import { describe, expect, it } from 'vitest';
import { mermaidShort, mermaidText } from '../../src/report/mermaid-text.ts';
import { sequenceDiagram } from '../../src/report/mermaid.ts';
import type { Trace, TraceEntry } from '../../src/trace/types.ts';
import { TraceBuilder, withToken } from '../checks/trace-builder.ts';
import { decodeEntities, requestArrow, syntaxViolations } from './mermaid-syntax.ts';

/** RFC 9449 §8.1 NQCHAR: %x21 / %x23-5B / %x5D-7E — every printable ASCII character except space, `"` and `\`. */
const NQCHARS = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => c !== '"' && c !== '\\')
  .join('');

/** Nonces whose first 16 characters are the risky ones (the label shows 16). */
const HOSTILE_NONCES = [';#<>"%%{init}%%', '-->>Client: x;', '#59;&lt;<br>end', 'a;b#c<d>e%f`g{h}', NQCHARS, `${NQCHARS.slice(20)}${NQCHARS.slice(0, 20)}`];

function hostileTrace(nonce: string): Trace {
  const b = new TraceBuilder('DPoP');
  withToken(b, 'AT1');
  b.add({ at: 2, done: 3, proof: { jti: 'j;#<>"\n%%x-->>', nonce: 'x' }, token: 'AT1', status: 401, error: 'use_dpop_nonce', nonce, decision: { kind: 'nonce-required', nonce } });
  b.add({ at: 4, done: 5, proof: { jti: 'j2', nonce, htu: `http://h/p;q#<end>\nNote over Client: x` }, token: 'AT1', scheme: 'Bear;er\n#x' });
  const trace = b.trace();
  // A hostile error code, rejection reason and refusal reason, plus a proof problem with a newline.
  const entries = trace.entries.map((e): TraceEntry =>
    e.seq === 2
      ? {
          ...e,
          status: 400,
          error: 'bad"error;\n<x>',
          decision: { kind: 'rejected', error: 'e', reason: 'reason with ; and # and\nnewline' },
          proof: e.proof === null ? null : { ...e.proof, problems: ['line one\nline two; <script>'] },
          url: 'http://127.0.0.1:2000/mcp?a=1;b=<2>#frag',
        }
      : e,
  );
  return { ...trace, entries, refused: [{ at: 0, server: 'mcp', reason: 'header too large; "x"\n<y>' }] };
}

describe('mermaid escaping', () => {
  it('writes every risky character as an entity code and decodes back to the original', () => {
    const escaped = mermaidText(NQCHARS + '\n\r\u2028é😀');
    expect(escaped).toMatch(/^(?:[A-Za-z0-9 ._\-/=+?!@$*()[\]',:~|^]|#\d+;)+$/);
    expect(decodeEntities(escaped)).toBe(NQCHARS + '\n\r\u2028é😀');
    for (const c of [';', '#', '<', '>', '"', '%', '`', '{', '}', '&', '\n']) expect(mermaidText(c)).toBe(`#${c.codePointAt(0)};`);
  });

  it('cuts by characters before escaping, so an entity code is never split', () => {
    expect(mermaidShort(';;;;;', 3)).toBe('#59;#59;#59;…');
    expect(mermaidShort('abc', 3)).toBe('abc');
  });

  it.each(HOSTILE_NONCES)('keeps the diagram well-formed with the hostile nonce %j', (nonce) => {
    const trace = hostileTrace(nonce);
    const diagram = sequenceDiagram(trace, new Set([1, 2]), { checksBySeq: new Map([[2, ['sep-1932-client-rs-nonce', 'sep-1932-client-htm-htu-match']]]) });
    expect(syntaxViolations(diagram)).toEqual([]);
    // Each trace entry gives exactly two arrows: no label spilled onto a new line.
    expect(diagram.split('\n').filter((l) => /->>|-->>/.test(l))).toHaveLength(6);
    const retry = requestArrow(diagram, 2);
    expect(retry).toBeDefined();
    const decoded = decodeEntities(retry!);
    // The reader sees the nonce as sent (first 16 characters) and the wrong htu.
    expect(decoded).toContain(`nonce=${[...nonce].slice(0, 16).join('')}`);
    expect(decoded).toContain('htu=http://h/p;q#<end>\nNote over');
    expect(decoded).toContain('Bear;er\n#x token t0');
    // The response to the challenge shows the delivered DPoP-Nonce.
    const challengeAnswer = diagram.split('\n').find((l) => l.includes('McpServer-->>Client') && decodeEntities(l).includes('use_dpop_nonce'));
    expect(decodeEntities(challengeAnswer!)).toContain(`DPoP-Nonce: ${[...nonce].slice(0, 16).join('')}`);
  });

  it('never lets a raw ;, #, <, >, " or newline into a label', () => {
    const diagram = sequenceDiagram(hostileTrace(NQCHARS), new Set([2]), { checksBySeq: new Map([[2, ['sep-1932-client-newest-nonce']]]) });
    for (const line of diagram.split('\n').slice(1)) {
      const colon = line.indexOf(': ');
      if (colon < 0) continue;
      const label = line.slice(colon + 2).replace(/#\d+;/g, '');
      expect(label).not.toMatch(/[;#<>"%`\r]/);
    }
    expect(diagram).toContain('refused by the HTTP layer');
    expect(decodeEntities(diagram)).toContain('header too large; "x"\n<y>');
  });

  it('names the check and the offending claim in the highlight note', () => {
    const diagram = sequenceDiagram(hostileTrace('n;1'), new Set([2]), { checksBySeq: new Map([[2, ['sep-1932-client-rs-nonce']]]) });
    const note = diagram.split('\n').find((l) => l.includes('Note over') && decodeEntities(l).includes('DpopRsNonce'));
    expect(decodeEntities(note!)).toContain('DpopRsNonce: sent nonce=n;1');
    const lines = diagram.split('\n');
    const rect = lines.findIndex((l) => l.trim().startsWith('rect '));
    expect(lines[rect + 1]).toMatch(/Client->>McpServer: \[2\] /);
    expect(lines.slice(rect).findIndex((l) => l.trim() === 'end')).toBe(4);
  });
});

describe('the third origin in a diagram', () => {
  it('gets its own participant only when a request went there, and stays valid Mermaid', () => {
    const b = new TraceBuilder('DPoP');
    withToken(b, 'AT1');
    b.add({ at: 2, done: 3, proof: { jti: 'a' }, token: 'AT1', status: 307, responseHeaders: { location: 'http://127.0.0.1:4000/mcp' } });
    b.add({ server: 'elsewhere', endpoint: 'other', at: 4, done: 5, proof: { jti: 'b' }, token: 'AT1', status: 404, url: 'http://127.0.0.1:4000/mcp' });
    const diagram = sequenceDiagram(b.trace(), new Set([2]));
    expect(diagram).toContain('participant OtherOrigin as Another origin');
    expect(diagram).toMatch(/Client->>OtherOrigin: /);
    expect(syntaxViolations(diagram)).toEqual([]);
    const plain = new TraceBuilder('DPoP');
    withToken(plain, 'AT1');
    expect(sequenceDiagram(plain.trace(), new Set())).not.toContain('OtherOrigin');
  });
});
