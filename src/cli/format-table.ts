import type { CheckResult } from '../checks/types.ts';

const colors = { SUCCESS: '32', FAILURE: '31', WARNING: '33', SKIPPED: '90' } as const;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A readable table of results, one check per block, with a totals line. */
export function formatTable(results: readonly CheckResult[], color: boolean): string {
  const idWidth = Math.max(...results.map((r) => r.id.length), 5);
  const paint = (status: CheckResult['status'], text: string) => (color ? `\x1b[${colors[status]}m${text}\x1b[0m` : text);
  const out = [`${'STATUS'.padEnd(8)} ${'CHECK'.padEnd(idWidth)}  DETAIL`];
  for (const r of results) {
    const [first = '', ...rest] = wrap(`${r.message}${r.evidence.length > 0 ? ` [trace #${r.evidence.slice(0, 6).join(', #')}${r.evidence.length > 6 ? ', …' : ''}]` : ''}`, 80);
    out.push(`${paint(r.status, r.status.padEnd(8))} ${r.id.padEnd(idWidth)}  ${first}`);
    for (const line of rest) out.push(`${' '.repeat(8)} ${' '.repeat(idWidth)}  ${line}`);
  }
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  out.push('', `Totals: ${count('SUCCESS')} SUCCESS · ${count('FAILURE')} FAILURE · ${count('WARNING')} WARNING · ${count('SKIPPED')} SKIPPED`);
  return out.join('\n');
}
