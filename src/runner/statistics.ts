import type { ScheduleLabels } from '../schedule/classify.ts';

/** Counts, per schedule dimension, how many runs saw each label. */
export class CoverageTally {
  private readonly counts = new Map<string, Map<string, number>>();

  add(labels: ScheduleLabels): void {
    for (const [dimension, label] of Object.entries(labels)) {
      let row = this.counts.get(dimension);
      if (!row) this.counts.set(dimension, (row = new Map()));
      row.set(label, (row.get(label) ?? 0) + 1);
    }
  }

  /** Plain JSON: dimension → label → runs, labels sorted by count. */
  toJSON(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [dimension, row] of this.counts) {
      out[dimension] = Object.fromEntries([...row].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
    }
    return out;
  }
}

/** The statistics as aligned text lines: `dimension  label 62% · label 38%`. */
export function formatStatistics(stats: Readonly<Record<string, Readonly<Record<string, number>>>>): string[] {
  const dims = Object.keys(stats);
  const width = Math.max(0, ...dims.map((d) => d.length));
  return dims.map((dimension) => {
    const row = stats[dimension] ?? {};
    const total = Object.values(row).reduce((a, b) => a + b, 0) || 1;
    const cells = Object.entries(row).map(([label, n]) => `${label} ${((100 * n) / total).toFixed(n * 100 < total ? 1 : 0)}%`);
    return `${dimension.padEnd(width)}  ${cells.join(' · ')}`;
  });
}
