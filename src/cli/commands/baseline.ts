import { baselineFromReports } from '../../baseline/from-reports.ts';
import { BASELINE_HELP } from '../help/baseline.ts';
import { writeFileAtomic } from '../../io/atomic-file.ts';
import { parseFlags } from '../parse-flags.ts';
import { readReport } from '../read-report.ts';
import { UsageError } from '../usage-error.ts';


export async function baselineCommand(args: readonly string[]): Promise<number> {
  const files = args.filter((a) => !a.startsWith('-') && args[args.indexOf(a) - 1] !== '--out');
  const flags = parseFlags('baseline', args.filter((a) => !files.includes(a)), { out: { type: 'string' } });
  if (files.length === 0) throw new UsageError(`baseline: give at least one report.json\n\n${BASELINE_HELP}`);
  const text = baselineFromReports(await Promise.all(files.map(readReport)));
  if (flags.out === undefined) process.stdout.write(text);
  else await writeFileAtomic(flags.out, text);
  return 0;
}
