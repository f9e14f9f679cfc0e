/**
 * The pure parts of scripts/side-by-side.ts: parsing the official suite's
 * output (fixtures: the console text and checks.json of real runs of
 * @modelcontextprotocol/conformance@0.2.0-alpha.12), reading dpop-fuzz
 * reports, the env knobs and the Markdown table.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfig, selectClients, DEFAULT_RUNS, DEFAULT_SEED, ConfigError } from '../../scripts/side-by-side/config.ts';
import { shellWord } from '../../scripts/side-by-side/clients.ts';
import { parseFuzzRun } from '../../scripts/side-by-side/fuzz.ts';
import { clientStderrSection, parseCheckLines, parseChecksJson, parseOfficialRun, stripAnsi } from '../../src/official/parse-run.ts';
import { catchSummary, formatDuration, markdownReport, shortCheckId } from '../../scripts/side-by-side/table.ts';
import type { ClientResult, ClientSpec, FuzzResult, OfficialResult, RunMeta } from '../../scripts/side-by-side/types.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A real run: the suite's console text, and the checks.json and stderr.txt (the client's stderr) it wrote. */
function officialRun(name: string, exitCode: number) {
  return {
    text: fixture(`official/${name}.console.txt`),
    exitCode,
    checksJson: JSON.parse(fixture(`official/${name}.checks.json`)) as unknown,
    clientStderr: fixture(`official/${name}.stderr.txt`),
  };
}

describe('official suite output', () => {
  it('strips ANSI colours', () => {
    expect(stripAnsi('\u001b[90m2026\u001b[0m [x] \u001b[32mSUCCESS\u001b[0m ok\r\n')).toBe('2026 [x] SUCCESS ok\n');
    expect(fixture('official/reference-auth-dpop.console.txt')).toContain('\u001b[');
    expect(stripAnsi(fixture('official/reference-auth-dpop.console.txt'))).not.toContain('\u001b');
  });

  it('passes the reference client on auth/dpop', () => {
    const parsed = parseOfficialRun(officialRun('reference-auth-dpop', 0));
    expect(parsed).toEqual({
      verdict: 'PASS',
      failedChecks: [],
      warningChecks: [],
      clientExitCode: null,
      clientTimedOut: false,
      clientError: null,
      passed: { passed: 12, of: 12 },
      source: 'checks.json',
      error: null,
    });
  });

  it('fails ignore-rs-nonce on auth/dpop-nonce with the rs-nonce check and the client exit', () => {
    const parsed = parseOfficialRun(officialRun('ignore-rs-nonce-auth-dpop-nonce', 1));
    expect(parsed.verdict).toBe('FAIL');
    expect(parsed.failedChecks).toEqual(['sep-1932-client-rs-nonce']);
    expect(parsed.clientExitCode).toBe(1);
    expect(parsed.clientError).toBe('error: MCP server still answered use_dpop_nonce after 2 nonce retries; giving up (RFC 9449 §9)');
    expect(parsed.passed).toEqual({ passed: 13, of: 14 });
  });

  it('takes the client error from the suite text when there is no stderr.txt', () => {
    const run = officialRun('ignore-rs-nonce-auth-dpop-nonce', 1);
    expect(parseOfficialRun({ ...run, clientStderr: null }).clientError).toBe(parseOfficialRun(run).clientError);
    expect(clientStderrSection(stripAnsi(run.text))?.trim().split('\n').at(-1)).toBe('error: MCP server still answered use_dpop_nonce after 2 nonce retries; giving up (RFC 9449 §9)');
  });

  it('lists every failed check of token-proof-typ-jwt, in order', () => {
    const parsed = parseOfficialRun(officialRun('token-proof-typ-jwt-auth-dpop', 1));
    expect(parsed.failedChecks).toEqual(['sep-1932-client-token-request-proof', 'sep-1932-client-dpop-auth-scheme', 'sep-1932-client-fresh-proof']);
  });

  it('reads the same judged checks from the text as from checks.json', () => {
    for (const name of ['reference-auth-dpop', 'ignore-rs-nonce-auth-dpop-nonce', 'token-proof-typ-jwt-auth-dpop', 'sdk-v2-client-auth-dpop']) {
      const run = officialRun(name, 1);
      expect(parseCheckLines(stripAnsi(run.text))).toEqual(parseChecksJson(run.checksJson));
    }
  });

  it('falls back to the text when there is no checks.json', () => {
    const run = officialRun('token-proof-typ-jwt-auth-dpop', 1);
    const parsed = parseOfficialRun({ ...run, checksJson: null, clientStderr: null });
    expect(parsed.source).toBe('text');
    expect(parsed.failedChecks).toHaveLength(3);
  });

  it('keeps a FAIL without failed checks, explained by the client exit and its error', () => {
    // The SDK v2 example passes 12/12 checks but stops on a tool the suite's server does not have.
    const parsed = parseOfficialRun(officialRun('sdk-v2-client-auth-dpop', 1));
    expect(parsed).toMatchObject({
      verdict: 'FAIL',
      failedChecks: [],
      clientExitCode: 1,
      clientError: 'error: tools/call failed: MCP error -32602: Tool echo not found',
      passed: { passed: 12, of: 12 },
    });
  });

  it('is an ERROR when the suite printed no verdict', () => {
    const parsed = parseOfficialRun({ text: 'npm warn EBADENGINE x\nClient test error: Error: listen EADDRINUSE\n', exitCode: 1, checksJson: null, clientStderr: null });
    expect(parsed.verdict).toBe('ERROR');
    expect(parsed.error).toBe('suite printed no verdict (exit 1): Client test error: Error: listen EADDRINUSE');
  });

  it('rejects a checks.json that is not a list of checks', () => {
    expect(parseChecksJson({ id: 'x' })).toBeNull();
    expect(parseChecksJson([{ id: 'a', status: 'INFO' }, { id: 'b', status: 'WARNING' }])).toEqual([{ id: 'b', status: 'WARNING' }]);
  });
});

describe('dpop-fuzz report', () => {
  const report = JSON.parse(fixture('dpop-fuzz-report.json')) as unknown;

  it('reads each distinct bug as its set of check IDs, in the report\'s order', () => {
    const parsed = parseFuzzRun({ exitCode: 1, report, stderr: '' });
    expect(parsed.error).toBeNull();
    expect(parsed.bugs.map((b) => b.checkIds)).toEqual([
      ['sep-1932-client-bound-tokens-required'],
      ['sep-1932-client-token-request-proof', 'sep-1932-client-htm-htu-match', 'sep-1932-client-unique-jti'],
    ]);
    expect(parsed.bugs.every((b) => b.verdict === 'bug')).toBe(true);
    expect(parsed).toMatchObject({ runs: 100, shrinkRuns: 58, stoppedBy: 'completed', flaky: [] });
  });

  it('merges failures that fail the same checks in another order', () => {
    const failure = { checkIds: ['b', 'a'], verdict: 'bug' };
    const parsed = parseFuzzRun({ exitCode: 1, report: { runs: 1, shrinkRuns: 0, stoppedBy: 'completed', failures: [failure, { ...failure, checkIds: ['a', 'b', 'a'] }] }, stderr: '' });
    expect(parsed.bugs).toEqual([{ checkIds: ['b', 'a'], verdict: 'bug', foundAtRun: null, hits: null }]);
  });

  it('is an error on exit 2, a signal or a missing report', () => {
    expect(parseFuzzRun({ exitCode: 2, report: null, stderr: 'x\ndpop-fuzz: internal error: boom\n' }).error).toBe('dpop-fuzz exit 2: dpop-fuzz: internal error: boom');
    expect(parseFuzzRun({ exitCode: null, report, stderr: '' }).error).toMatch(/^dpop-fuzz exit signal/);
    expect(parseFuzzRun({ exitCode: 0, report: null, stderr: '' }).error).toBe('dpop-fuzz exit 0: no report.json');
  });

  it('accepts a report without the optional fields and with none found', () => {
    const parsed = parseFuzzRun({ exitCode: 0, report: { runs: 5, shrinkRuns: 0, stoppedBy: 'completed', failures: [] }, stderr: '' });
    expect(parsed).toMatchObject({ bugs: [], flaky: [], runs: 5, error: null });
  });
});

describe('configuration', () => {
  it('has defaults', () => {
    expect(readConfig({})).toMatchObject({ runs: DEFAULT_RUNS, seed: DEFAULT_SEED, clients: null, skipOfficial: false, corpus: 'hand-picked', concurrency: 2 });
  });

  it('reads the knobs', () => {
    const config = readConfig({ RUNS: '20', SEED: '7', CLIENTS: 'reference, ath-hex,', SKIP_OFFICIAL: '1', CORPUS: 'none' });
    expect(config).toMatchObject({ runs: 20, seed: 7, clients: ['reference', 'ath-hex'], skipOfficial: true, corpus: 'none' });
    expect(readConfig({ SKIP_OFFICIAL: '0' }).skipOfficial).toBe(false);
  });

  it('refuses bad values', () => {
    expect(() => readConfig({ RUNS: '1e3' })).toThrow(ConfigError);
    expect(() => readConfig({ RUNS: '0' })).toThrow(ConfigError);
    expect(() => readConfig({ CORPUS: 'all' })).toThrow(ConfigError);
  });

  it('filters clients by name substring', () => {
    const all: ClientSpec[] = ['reference', 'broken/ath-hex', 'broken/bearer-scheme', 'examples/sdk-v2-client'].map((name) => ({ name, kind: 'broken', command: name }));
    expect(selectClients(all, ['ath', 'sdk']).map((c) => c.name)).toEqual(['broken/ath-hex', 'examples/sdk-v2-client']);
    expect(selectClients(all, null)).toHaveLength(4);
  });

  it('quotes shell words only when needed', () => {
    expect(shellWord('examples/sdk-v2-client/run.mjs')).toBe('examples/sdk-v2-client/run.mjs');
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
  });
});

describe('table', () => {
  const official = (verdicts: readonly ('PASS' | 'FAIL')[], failed: readonly string[] = []): OfficialResult => ({
    wallMs: 6200,
    scenarios: ['auth/dpop', 'auth/dpop-nonce'].map((scenario, i) => ({
      scenario,
      verdict: verdicts[i] ?? 'PASS',
      failedChecks: verdicts[i] === 'FAIL' ? failed : [],
      warningChecks: [],
      clientExitCode: null,
      clientTimedOut: false,
      clientError: null,
      passed: null,
      source: 'checks.json',
      error: null,
      exitCode: verdicts[i] === 'FAIL' ? 1 : 0,
      wallMs: 3100,
    })),
  });
  const fuzz = (bugs: readonly (readonly string[])[]): FuzzResult => ({
    bugs: bugs.map((checkIds) => ({ checkIds, verdict: 'bug', foundAtRun: 3, hits: 1 })),
    flaky: [],
    runs: 60,
    shrinkRuns: 12,
    stoppedBy: 'completed',
    crashedRuns: 0,
    error: null,
    exitCode: bugs.length > 0 ? 1 : 0,
    wallMs: 95_000,
  });
  const client = (name: string, kind: ClientSpec['kind']): ClientSpec => ({ name, kind, command: `node ${name}` });
  const clients: ClientResult[] = [
    { client: client('reference', 'reference'), official: official(['PASS', 'PASS']), fuzz: fuzz([]) },
    { client: client('broken/ignore-rs-nonce', 'broken'), official: official(['PASS', 'FAIL'], ['sep-1932-client-rs-nonce']), fuzz: fuzz([['sep-1932-client-rs-nonce']]) },
    { client: client('broken/ath-hex', 'broken'), official: official(['PASS', 'PASS']), fuzz: fuzz([['sep-1932-client-ath'], ['sep-1932-client-completes', 'sep-1932-client-fresh-proof']]) },
    { client: client('broken/jti-counter', 'broken'), official: official(['PASS', 'PASS']), fuzz: fuzz([]) },
  ];
  const meta: RunMeta = {
    date: '2026-12-01T12:00:00.000Z',
    cores: 2,
    cpuModel: 'Test CPU',
    platform: 'linux x64',
    officialPackage: '@modelcontextprotocol/conformance@0.2.0-alpha.12',
    officialNode: 'v22.23.3',
    scenarios: ['auth/dpop', 'auth/dpop-nonce'],
    fuzzVersion: '0.1.0',
    fuzzNode: 'v20.20.2',
    seed: 1932,
    runs: 60,
    corpusSchedules: 16,
    fuzzFlags: '--runs 60 --seed 1932 --workers 1 --quiet',
    concurrency: 2,
    clientsFilter: null,
    loadAverage: [1.5, 2.5],
    totalWallMs: 1_500_000,
  };

  it('formats durations and check IDs', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_340)).toBe('42.3 s');
    expect(formatDuration(187_000)).toBe('3 min 07 s');
    expect(shortCheckId('sep-1932-client-rs-nonce')).toBe('rs-nonce');
    expect(shortCheckId('pkce-s256-method-used')).toBe('pkce-s256-method-used');
  });

  it('counts which broken clients each tool catches', () => {
    expect(catchSummary(clients)).toEqual({ broken: 3, official: 1, fuzz: 2, both: 1, onlyOfficial: [], onlyFuzz: ['broken/ath-hex'], neither: ['broken/jti-counter'] });
  });

  it('renders a row per client and the summary', () => {
    const markdown = markdownReport({ meta, clients });
    expect(markdown).toContain('| client | official auth/dpop | official auth/dpop-nonce | official time | dpop-fuzz bugs (check IDs) | dpop-fuzz time |');
    expect(markdown).toContain('| `broken/ignore-rs-nonce` | PASS | FAIL: rs-nonce | 6.2 s | rs-nonce | 1 min 35 s |');
    expect(markdown).toContain('| `broken/ath-hex` | PASS | PASS | 6.2 s | ath; completes + fresh-proof | 1 min 35 s |');
    expect(markdown).toContain('**Broken clients caught:** official suite 1/3, dpop-fuzz 2/3.');
    expect(markdown).toContain('only dpop-fuzz: 1 (ath-hex)');
    expect(markdown).toContain('neither: 1 (jti-counter)');
    expect(markdown).not.toContain('reference client was failed');
  });

  it('notes why a client exited non-zero under the official suite', () => {
    const base = official(['FAIL', 'FAIL']);
    const exited: OfficialResult = { ...base, scenarios: base.scenarios.map((s) => ({ ...s, clientExitCode: 1, clientError: 'error: Tool echo not found' })) };
    const markdown = markdownReport({ meta, clients: [{ client: client('examples/sdk-v2-client', 'library'), official: exited, fuzz: fuzz([]) }] });
    expect(markdown).toContain('| `examples/sdk-v2-client` | FAIL: client exit 1 | FAIL: client exit 1 |');
    expect(markdown).toContain('- `examples/sdk-v2-client` (auth/dpop, auth/dpop-nonce): exit 1: error: Tool echo not found');
    expect(markdownReport({ meta, clients })).not.toContain('exited non-zero');
  });

  it('escapes pipes in cells', () => {
    const broken = { ...clients[0]!, fuzz: { ...fuzz([]), error: 'dpop-fuzz exit 2: a | b' } };
    expect(markdownReport({ meta, clients: [broken] })).toContain('ERROR: dpop-fuzz exit 2: a \\| b');
  });
});
