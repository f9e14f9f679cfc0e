import path from 'node:path';
import { MERGE_HELP } from '../help/merge.ts';
import { baselineScenario, loadBaseline } from '../../baseline/expected-failures.ts';
import { compareWithBaseline } from '../../baseline/verdict.ts';
import { mergeReports, MergeError } from '../../report/merge.ts';
import type { FuzzReport } from '../../report/types.ts';
import { writeReport } from '../../report/write.ts';
import { writeCiOutputs } from '../ci-outputs.ts';
import { parseFlags } from '../parse-flags.ts';
import { readReport } from '../read-report.ts';
import { UsageError } from '../usage-error.ts';


export async function mergeCommand(args: readonly string[]): Promise<number> {
  const valued = new Set(['--out', '--expected-failures', '--junit']);
  const files = args.filter((a, i) => !a.startsWith('-') && !valued.has(args[i - 1] ?? ''));
  const flags = parseFlags('merge', args.filter((a, i) => !files.includes(a) || valued.has(args[i - 1] ?? '')), {
    out: { type: 'string' },
    'expected-failures': { type: 'string' },
    junit: { type: 'string' },
  });
  if (files.length === 0) throw new UsageError(`merge: give the report.json of every shard\n\n${MERGE_HELP}`);
  const reports = await Promise.all(files.map(readReport));
  let merged: FuzzReport;
  try {
    merged = mergeReports(reports);
  } catch (err) {
    if (err instanceof MergeError) throw new UsageError(`merge: ${err.message}`);
    throw err;
  }
  const baselineFile = flags['expected-failures'];
  if (baselineFile !== undefined) {
    const baseline = await loadBaseline(baselineFile);
    merged = { ...merged, baseline: compareWithBaseline(merged, baseline, baselineScenario(merged.profile ?? 'sep-1932')) };
  }
  const outDir = flags.out ?? '.';
  await writeReport(outDir, merged);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Merged ${reports.length} shard report(s) (${merged.mergedShards?.join(', ')} of ${reports[0]!.shard!.count}): ${merged.runs} runs, ${merged.failures.length} bug(s), ${merged.flaky.length} flaky.`);
  for (const f of merged.failures) out(`  ${f.checkIds.join(', ')}: ${f.hits} run(s) hit it; replay: ${f.replayCommand}`);
  for (const w of merged.warnings) out(`WARNING ${w}`);
  out(`Report: ${path.join(outDir, 'report.md')}`);
  await writeCiOutputs(merged, flags.junit);
  if (merged.baseline) return merged.baseline.exitCode;
  return merged.failures.length > 0 || merged.flaky.length > 0 ? 1 : 0;
}
