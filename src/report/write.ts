import path from 'node:path';
import { writeFileAtomic, writeJson } from '../io/atomic-file.ts';
import { renderReportMarkdown } from './markdown.ts';
import type { FuzzReport } from './types.ts';

/** Writes `<dir>/report.json` and `<dir>/report.md`, each atomically. Returns the JSON path. */
export async function writeReport(dir: string, report: FuzzReport): Promise<string> {
  const file = path.join(dir, 'report.json');
  await writeJson(file, report);
  await writeFileAtomic(path.join(dir, 'report.md'), renderReportMarkdown(report));
  return file;
}
