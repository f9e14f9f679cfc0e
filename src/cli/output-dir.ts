import path from 'node:path';

/** A fresh results folder name: `results/check-20261126-071203`. */
export function defaultOutDir(kind: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return path.join('results', `${kind}-${stamp}`);
}
