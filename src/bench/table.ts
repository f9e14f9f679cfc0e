import type { BenchResult } from './result.ts';

const COLUMNS = ['scenario', 'mode', 'workers', 'threads', 'runs', 'seconds', 'runs/s', 'CPU ms/run', 'notes'] as const;

/** What a row adds beyond the common columns: client CPU, phases, catch time, memory. */
function notes(r: BenchResult): string {
  const parts: string[] = [];
  if (r.clientCpuMsPerRun !== null) parts.push(`client CPU ${r.clientCpuMsPerRun} ms/run`);
  const p = r.phases;
  if (p) {
    const cpu = p.harnessCpuMs !== null ? `; CPU: harness ${p.harnessCpuMs}, during the client ${p.clientPhaseCpuMs} ms` : '';
    parts.push(`per run: world start ${p.worldStartMs}, client ${p.clientMs}, close ${p.worldCloseMs}, judge ${p.judgeMs}${p.otherMs !== null ? `, other ${p.otherMs}` : ''} ms${cpu}`);
  }
  if (r.catch) parts.push(`caught ${r.catch.caught}/${r.catch.seeds.length}, median ${r.catch.medianSeconds} s, ${r.catch.medianRuns} runs`);
  if (r.memory) parts.push(`RSS ${r.memory.rssStartMb}→${r.memory.rssEndMb} MB (max ${r.memory.rssMaxMb}), heap ${r.memory.heapStartMb}→${r.memory.heapEndMb} MB (max ${r.memory.heapMaxMb})`);
  return parts.join('; ');
}

export function benchRow(r: BenchResult): string[] {
  return [r.name, r.mode, String(r.workers), String(r.threads), String(r.runs), String(r.seconds), String(r.runsPerSecond), String(r.cpuMsPerRun), notes(r)];
}

/** A Markdown table of the results (readable as plain text too). */
export function formatBenchTable(results: readonly BenchResult[]): string {
  const rows = results.map(benchRow);
  return [`| ${COLUMNS.join(' | ')} |`, `|${COLUMNS.map((_, i) => (i >= 2 && i <= 7 ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
