import { Document } from 'yaml';
import { DEFAULT_JUDGE_OPTIONS } from '../checks/types.ts';
import type { FuzzReport } from '../report/types.ts';
import { scheduleDiff, type ScheduleDiff } from '../report/schedule-diff.ts';
import { baselineScenario } from './expected-failures.ts';

/**
 * An expected-failures file that accepts what the given reports found: one
 * `<scenario>:<check-id>` entry per failed check of every confirmed bug, and
 * under `dpop-fuzz.schedules` each entry's minimal schedule (the fields that
 * differ from the default schedule, from the smallest bug that failed it), so
 * the next runs find every listed bug again first thing. Flaky failures are
 * left out: they did not reproduce, so listing them would soon read stale.
 */
export function baselineFromReports(reports: readonly FuzzReport[]): string {
  const schedules = new Map<string, { readonly diff: ScheduleDiff; readonly size: number; readonly why: string }>();
  for (const report of reports) {
    const scenario = baselineScenario(report.profile ?? DEFAULT_JUDGE_OPTIONS.profile);
    for (const bug of report.failures) {
      if (bug.verdict !== 'bug') continue;
      const diff = scheduleDiff(bug.schedule);
      const size = JSON.stringify(diff).length;
      for (const check of bug.checkIds) {
        const entry = `${scenario}:${check}`;
        const known = schedules.get(entry);
        if (known === undefined || size < known.size) schedules.set(entry, { diff, size, why: bug.results.find((r) => r.id === check)?.message ?? '' });
      }
    }
  }
  const entries = [...schedules.keys()].sort();
  // Each schedule written out in full (no YAML anchors): an entry reads on its own and can be deleted on its own.
  const doc = new Document({ client: entries, 'dpop-fuzz': { schedules: Object.fromEntries(entries.map((e) => [e, schedules.get(e)!.diff])) } }, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ' Expected failures for dpop-fuzz run --expected-failures (the official MCP conformance',
    ' suite reads the same format). Written from the reports of:',
    ...reports.map((r) => `   ${r.client.name} (${r.profile ?? DEFAULT_JUDGE_OPTIONS.profile}, seed ${r.seed}, ${r.runs} runs, ${r.startedAt})`),
  ].join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
