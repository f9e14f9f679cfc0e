import { readJsonFile } from '../io/read-json-file.ts';
import type { FuzzReport } from '../report/types.ts';
import { UsageError } from './usage-error.ts';

/** A report.json given on the command line; a clear usage error when it is unreadable or no report. */
export async function readReport(file: string): Promise<FuzzReport> {
  const json = await readJsonFile(file, 'report', (message) => new UsageError(message));
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (record.tool === undefined || !Array.isArray(record.failures)) throw new UsageError(`${file} is not a dpop-fuzz report.json`);
  return json as FuzzReport;
}
