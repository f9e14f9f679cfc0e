import { appendFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/atomic-file.ts';
import { githubAnnotations, githubSummary } from '../report/github.ts';
import { renderJunit } from '../report/junit.ts';
import type { FuzzReport } from '../report/types.ts';
import { UsageError } from './usage-error.ts';

/**
 * What a CI system shows without opening report.md: `--junit <file>`, and
 * under GitHub Actions (`GITHUB_ACTIONS=true`) `::error` annotations on
 * stdout and a job summary appended to `$GITHUB_STEP_SUMMARY`.
 */
export async function writeCiOutputs(report: FuzzReport, junitFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (junitFile !== undefined) {
    try {
      await writeFileAtomic(junitFile, renderJunit(report));
    } catch (err) {
      throw new UsageError(`cannot write --junit ${junitFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (env.GITHUB_ACTIONS !== 'true') return;
  for (const line of githubAnnotations(report)) process.stdout.write(`${line}\n`);
  const summary = env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, githubSummary(report));
}
