import type { FuzzReport } from './types.ts';
import { markdownText } from './markdown-text.ts';

/**
 * The coverage table: how many runs exercised each label of each schedule
 * dimension (e.g. how often the MCP server sent an RFC 9449 §9 nonce
 * challenge), so a clean result can be judged by what was actually tried.
 */
export function statisticsTable(statistics: FuzzReport['statistics'], runs: number): string {
  const rows: string[] = [];
  for (const [dimension, labels] of Object.entries(statistics)) {
    const sorted = Object.entries(labels).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
    for (const [label, count] of sorted) {
      const share = runs > 0 ? `${((count / runs) * 100).toFixed(1)} %` : '–';
      rows.push(`| ${markdownText(dimension)} | ${markdownText(label)} | ${count} | ${share} |`);
    }
  }
  if (rows.length === 0) return '_No statistics were recorded._';
  return ['| Dimension | Label | Runs | % |', '| --- | --- | ---: | ---: |', ...rows].join('\n');
}
