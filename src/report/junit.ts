import { CHECK_IDS } from '../checks/registry.ts';
import type { FailureReport, FuzzReport } from './types.ts';

/** Characters XML 1.0 allows (§2.2); anything else a client printed is dropped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xml(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');
}

/** What a maintainer needs in the CI's test view: the verdict, where it points, the replay command and the minimal schedule. */
function failureBody(failure: FailureReport, checkId: string): string {
  const result = failure.results.find((r) => r.id === checkId);
  return [
    `${result?.status ?? 'FAILURE'} ${checkId}: ${result?.message ?? ''}`,
    `Evidence: trace #${result?.evidence.join(', #') ?? ''}`,
    `Counterexample failing ${failure.checkIds.join(', ')}: found at run ${failure.foundAtRun}, ${failure.hits} run(s) hit it, reproduced ${failure.confirmation.reproduced}/${failure.confirmation.replays}${failure.verdict === 'flaky' ? ' (flaky)' : ''}`,
    `Replay: ${failure.replayCommand}`,
    `Minimal schedule: ${JSON.stringify(failure.schedule)}`,
  ].join('\n');
}

/**
 * The report as JUnit XML (the common Ant/Jenkins shape: testsuites >
 * testsuite > testcase, with failure or skipped): one testcase per check
 * judged. A check fails when a counterexample or some run failed it; one
 * the baseline expects is skipped with that reason.
 */
export function renderJunit(report: FuzzReport): string {
  const checks = report.checks ?? CHECK_IDS;
  const known = new Set(report.baseline?.known.flatMap((k) => k.checkIds) ?? []);
  const classname = `dpop-fuzz.${report.profile ?? 'sep-1932'}`;
  let failures = 0;
  let skipped = 0;
  const cases = checks.map((id) => {
    const head = `    <testcase${attributes({ name: id, classname, time: 0 })}`;
    const failure = report.failures.find((f) => f.checkIds.includes(id)) ?? report.flaky.find((f) => f.checkIds.includes(id));
    const runs = report.failedChecks[id] ?? 0;
    if (known.has(id)) {
      skipped++;
      return `${head}>\n      <skipped${attributes({ message: 'known failure: accepted by the expected-failures baseline' })}/>\n    </testcase>`;
    }
    if (failure) {
      failures++;
      const result = failure.results.find((r) => r.id === id);
      const type = failure.verdict === 'flaky' ? 'flaky' : (result?.status ?? 'FAILURE');
      return `${head}>\n      <failure${attributes({ message: result?.message ?? `failed in ${runs} run(s)`, type })}>${xml(failureBody(failure, id))}</failure>\n    </testcase>`;
    }
    if (runs > 0) {
      failures++;
      const message = `failed in ${runs} run(s); the counterexample of those runs was shrunk towards another check (see report.md)`;
      return `${head}>\n      <failure${attributes({ message, type: 'FAILURE' })}/>\n    </testcase>`;
    }
    return `${head}/>`;
  });
  const suite = attributes({
    name: `dpop-fuzz ${report.client.name}`,
    tests: checks.length,
    failures,
    errors: 0,
    skipped,
    time: (report.durationMs / 1000).toFixed(3),
    timestamp: report.startedAt.replace(/\.\d+Z$/, ''),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'dpop-fuzz', tests: checks.length, failures, errors: 0, skipped, time: (report.durationMs / 1000).toFixed(3) })}>`,
    `  <testsuite${suite}>`,
    `    <properties>\n      <property${attributes({ name: 'seed', value: report.seed })}/>\n      <property${attributes({ name: 'runs', value: report.runs })}/>\n    </properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
