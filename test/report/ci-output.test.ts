/**
 * CI-native output: JUnit XML, GitHub annotations and the job summary, from
 * real fuzz reports (fixed seeds, in-process clients).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHECK_IDS } from '../../src/checks/registry.ts';
import { writeCiOutputs } from '../../src/cli/ci-outputs.ts';
import { referenceTarget } from '../../src/clients/target.ts';
import { githubAnnotations, githubSummary } from '../../src/report/github.ts';
import { renderJunit } from '../../src/report/junit.ts';
import type { FuzzReport } from '../../src/report/types.ts';
import { fuzz } from '../../src/runner/fuzz.ts';
import { cli } from '../cli/support/cli.ts';

let broken: FuzzReport;
let clean: FuzzReport;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-ci-'));
  const base = { runs: 4, seed: 9, workers: 1, timeoutMs: 20_000, examples: [], maxShrinkRuns: 20, confirmations: 1 };
  broken = await fuzz({ ...base, target: referenceTarget(['ath-hex']), clientName: 'broken ath-hex' });
  clean = await fuzz({ ...base, target: referenceTarget(), clientName: 'reference' });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Case {
  '@_name': string;
  '@_classname': string;
  failure?: { '#text'?: string; '@_message': string; '@_type': string };
  skipped?: { '@_message': string };
}
function parseJunit(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' || name === 'property' }).parse(text) as {
    testsuites: { testsuite: { '@_tests': string; '@_failures': string; '@_skipped': string; '@_errors': string; '@_timestamp': string; '@_name': string; testcase: Case[] } };
  };
  return doc.testsuites.testsuite;
}

describe('JUnit XML', () => {
  it('has one testcase per check; a failed check carries its message, the evidence, the replay command and the minimal schedule', () => {
    const suite = parseJunit(renderJunit(broken));
    expect(suite['@_name']).toBe('dpop-fuzz broken ath-hex');
    expect(suite.testcase.map((c) => c['@_name'])).toEqual([...CHECK_IDS]);
    // The common JUnit schema's timestamp: ISO 8601 without a zone.
    expect(suite['@_timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const failed = suite.testcase.filter((c) => c.failure);
    expect(failed.map((c) => c['@_name'])).toEqual(broken.failures[0]!.checkIds);
    expect(suite['@_failures']).toBe(String(failed.length));
    const ath = suite.testcase.find((c) => c['@_name'] === 'sep-1932-client-ath')!;
    const result = broken.failures[0]!.results.find((r) => r.id === 'sep-1932-client-ath')!;
    expect(ath.failure).toMatchObject({ '@_message': result.message, '@_type': 'FAILURE' });
    expect(ath.failure!['#text']).toContain(`Replay: ${broken.failures[0]!.replayCommand}`);
    expect(ath.failure!['#text']).toContain(`Evidence: trace #${result.evidence.join(', #')}`);
    expect(ath.failure!['#text']).toContain('Minimal schedule: {');
  });

  it('passes every testcase of a clean run', () => {
    const suite = parseJunit(renderJunit(clean));
    expect(suite['@_failures']).toBe('0');
    expect(suite.testcase.every((c) => c.failure === undefined && c.skipped === undefined)).toBe(true);
  });

  it('keeps hostile client text well-formed: markup escaped, characters XML forbids dropped', () => {
    const f = broken.failures[0]!;
    const hostile: FuzzReport = { ...broken, failures: [{ ...f, results: f.results.map((r) => ({ ...r, message: `<b a="1">&'\u0001` })) }] };
    const ath = parseJunit(renderJunit(hostile)).testcase.find((c) => c['@_name'] === 'sep-1932-client-ath')!;
    expect(ath.failure!['@_message']).toBe(`<b a="1">&'`);
  });

  it('skips a check the baseline expects, and fails one that failed without a counterexample of its own', () => {
    const known: FuzzReport = {
      ...broken,
      failedChecks: { ...broken.failedChecks, 'sep-1932-client-unique-jti': 2 },
      baseline: { file: 'b.yml', scenario: 's', known: [{ checkIds: broken.failures[0]!.checkIds, flaky: false, entries: [] }], unexpected: [], stale: [], staleJudged: true, exitCode: 0 },
    };
    const suite = parseJunit(renderJunit(known));
    expect(suite.testcase.find((c) => c['@_name'] === 'sep-1932-client-ath')!.skipped).toEqual({ '@_message': 'known failure: accepted by the expected-failures baseline' });
    expect(suite.testcase.find((c) => c['@_name'] === 'sep-1932-client-unique-jti')!.failure!['@_message']).toMatch(/^failed in 2 run\(s\); the counterexample of those runs was shrunk towards another check/);
    expect(suite['@_skipped']).toBe(String(broken.failures[0]!.checkIds.length));
  });
});

describe('GitHub Actions', () => {
  it('annotates each new bug with an ::error carrying its messages and the replay command, escaped', () => {
    const lines = githubAnnotations(broken);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error title=dpop-fuzz%3A sep-1932-client-ath[^:]*::sep-1932-client-ath: /);
    expect(lines[0]).toContain(`Replay: ${broken.failures[0]!.replayCommand}`);
    const f = broken.failures[0]!;
    const multiline: FuzzReport = { ...broken, failures: [{ ...f, results: [{ ...f.results[0]!, message: '50%\nnext' }] }] };
    expect(githubAnnotations(multiline)[0]).toContain('50%25%0Anext');
  });

  it('does not annotate a known bug, but does a stale baseline entry', () => {
    const known: FuzzReport = {
      ...broken,
      baseline: { file: 'b.yml', scenario: 's', known: [{ checkIds: broken.failures[0]!.checkIds, flaky: false, entries: [] }], unexpected: [], stale: [{ entry: 's:sep-1932-client-dpop-jkt', scheduleRan: false }], staleJudged: true, exitCode: 1 },
    };
    expect(githubAnnotations(known)).toEqual(['::error title=dpop-fuzz%3A stale expected failure::s:sep-1932-client-dpop-jkt failed in no run; remove the entry if the bug was fixed']);
    expect(githubAnnotations(clean)).toEqual([]);
  });

  it('summarises the bugs in a table with each one\'s sequence diagram', () => {
    const summary = githubSummary(broken);
    expect(summary).toMatch(/^## dpop-fuzz: 1 bug, 0 flaky — `broken ath-hex`/);
    expect(summary).toContain('| # | checks | level | runs hit | found at run | replay |');
    expect(summary).toContain('```mermaid');
    expect(githubSummary(clean)).toContain('No failure found.');
  });

  it('writes annotations to stdout and appends the summary to $GITHUB_STEP_SUMMARY, only under GitHub Actions', async () => {
    const summaryFile = path.join(dir, 'summary.md');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await writeCiOutputs(broken, undefined, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile });
      await writeCiOutputs(broken, undefined, { GITHUB_STEP_SUMMARY: summaryFile });
      expect(write.mock.calls.map((c) => String(c[0]))).toEqual(githubAnnotations(broken).map((l) => `${l}\n`));
    } finally {
      write.mockRestore();
    }
    expect(await readFile(summaryFile, 'utf8')).toBe(githubSummary(broken));
  });
});

describe('dpop-fuzz run --junit', () => {
  it('writes the JUnit file next to the report', async () => {
    const junit = path.join(dir, 'junit.xml');
    const r = await cli(['run', '--module', 'src/clients/reference.ts', '--runs', '2', '--seed', '1', '--no-corpus', '--quiet', '--out', path.join(dir, 'run'), '--junit', junit]);
    expect(r.code).toBe(0);
    expect(parseJunit(await readFile(junit, 'utf8'))['@_failures']).toBe('0');
  }, 60_000);
});
