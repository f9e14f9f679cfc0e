import { baselineFromReports } from '../../baseline/from-reports.ts';
import { writeFileAtomic } from '../../io/atomic-file.ts';
import { parseFlags } from '../parse-flags.ts';
import { readReport } from '../read-report.ts';
import { UsageError } from '../usage-error.ts';

export const BASELINE_HELP = `Usage: dpop-fuzz baseline <report.json>... [--out <file>]

Writes an expected-failures file (YAML, for 'run --expected-failures') that
accepts every confirmed bug of the given reports: one '<scenario>:<check-id>'
entry per failed check (scenario auth/dpop-fuzz for --profile sep-1932,
auth/dpop-fuzz-rfc9449 for rfc9449) and each entry's minimal schedule, so
later runs find the known bugs again first thing. Review it before you commit
it: every entry is a deviation you accept.

Options:
  --out <file>        write the file here instead of printing it`;

export async function baselineCommand(args: readonly string[]): Promise<number> {
  const files = args.filter((a) => !a.startsWith('-') && args[args.indexOf(a) - 1] !== '--out');
  const flags = parseFlags('baseline', args.filter((a) => !files.includes(a)), { out: { type: 'string' } });
  if (files.length === 0) throw new UsageError(`baseline: give at least one report.json\n\n${BASELINE_HELP}`);
  const text = baselineFromReports(await Promise.all(files.map(readReport)));
  if (flags.out === undefined) process.stdout.write(text);
  else await writeFileAtomic(flags.out, text);
  return 0;
}
