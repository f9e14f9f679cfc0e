import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineError, baselineScenario, loadBaseline, parseBaseline } from '../../src/baseline/expected-failures.ts';
import { baselineFromReports } from '../../src/baseline/from-reports.ts';
import { compareWithBaseline, staleNotJudgedReason } from '../../src/baseline/verdict.ts';
import { mergeReports } from '../../src/report/merge.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { failure, report } from '../report/fixtures.ts';

const RS = 'sep-1932-client-rs-nonce';
const ATH = 'sep-1932-client-ath';
const COMPLETES = 'sep-1932-client-completes';

/** A bug failing `checkIds`, as the search reports it. */
const bug = (checkIds: string[], verdict: 'bug' | 'flaky' = 'bug') =>
  failure({ checkIds, verdict, results: checkIds.map((id) => ({ id, status: 'FAILURE' as const, message: 'x', evidence: [] })) });

describe('parseBaseline', () => {
  it("reads the official suite's format: whole scenarios and <scenario>:<check-id> entries", () => {
    const b = parseBaseline(`server:\n  - tools-call\nclient:\n  - auth/dpop-nonce\n  - auth/dpop-fuzz:${RS}\n`, 'b.yml');
    expect(b.entries).toEqual([
      { scenario: 'auth/dpop-nonce', checkId: null, text: 'auth/dpop-nonce' },
      { scenario: 'auth/dpop-fuzz', checkId: RS, text: `auth/dpop-fuzz:${RS}` },
    ]);
    expect(parseBaseline('', 'empty.yml').entries).toEqual([]);
  });

  it('reads minimal schedules for entries under dpop-fuzz.schedules (partial schedules take defaults)', () => {
    const b = parseBaseline(`client:\n  - auth/dpop-fuzz:${RS}\ndpop-fuzz:\n  schedules:\n    auth/dpop-fuzz:${RS}:\n      mcp: { post: [{ kind: use-dpop-nonce, nonce: n1 }] }\n`, 'b.yml');
    expect(b.schedules.get(`auth/dpop-fuzz:${RS}`)).toEqual(scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'n1' }] } }));
  });

  it.each([
    ['not YAML', 'client: [a\n', /not valid YAML \(line/],
    ['a mapping at the top', '- a\n', /expected a mapping/],
    ['a space after the colon', `client:\n  - auth/dpop-fuzz: ${RS}\n`, /Remove the space after the colon: 'auth\/dpop-fuzz:sep-1932-client-rs-nonce'/],
    ['an empty side', 'client:\n  - "auth/dpop-fuzz:"\n', /Both sides of the colon/],
    ['an unknown check of ours', 'client:\n  - auth/dpop-fuzz:sep-1932-client-no-such-check\n', /names no check of the catalogue/],
    ['whole scenario and one of its checks', `client:\n  - auth/dpop-fuzz\n  - auth/dpop-fuzz:${RS}\n`, /is redundant/],
    ['a schedule for an unlisted entry', `client: []\ndpop-fuzz:\n  schedules:\n    auth/dpop-fuzz:${RS}: {}\n`, /which the client list does not contain/],
    ['an invalid schedule', `client:\n  - auth/dpop-fuzz:${RS}\ndpop-fuzz:\n  schedules:\n    auth/dpop-fuzz:${RS}: { as: { lifetime: -1 } }\n`, /schedule of 'auth\/dpop-fuzz:sep-1932-client-rs-nonce'/],
    ['an unknown extension key', 'dpop-fuzz:\n  fingerprints: {}\n', /unknown key 'dpop-fuzz.fingerprints'/],
    ['an intermittent entry not in the list', `client: []\ndpop-fuzz:\n  intermittent: [auth/dpop-fuzz:${RS}]\n`, /'dpop-fuzz.intermittent' names 'auth\/dpop-fuzz:sep-1932-client-rs-nonce'/],
  ])('rejects %s with a message naming the file', (_what, text, message) => {
    expect(() => parseBaseline(text, 'b.yml')).toThrow(BaselineError);
    expect(() => parseBaseline(text, 'b.yml')).toThrow(message);
    expect(() => parseBaseline(text, 'b.yml')).toThrow(/b\.yml/);
  });

  describe('loadBaseline', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-baseline-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    it('names a missing file', async () => {
      await expect(loadBaseline(path.join(dir, 'missing.yml'))).rejects.toThrow(/cannot read expected-failures file .*missing\.yml: ENOENT/);
    });
    it('reads a file', async () => {
      const file = path.join(dir, 'b.yml');
      await writeFile(file, `client:\n  - auth/dpop-fuzz:${ATH}\n`);
      expect((await loadBaseline(file)).entries).toHaveLength(1);
    });
  });
});

describe('compareWithBaseline', () => {
  const scenario = baselineScenario('sep-1932');
  const baseline = parseBaseline(`client:\n  - auth/dpop-fuzz:${RS}\n  - auth/dpop-fuzz:${COMPLETES}\n  - auth/dpop-fuzz-rfc9449:${ATH}\n  - auth/dpop\n`, 'b.yml');

  it('calls a bug whose every check is listed known, and exits 0', () => {
    const r = report({ stoppedBy: 'completed', failures: [bug([RS]), bug([COMPLETES])], failedChecks: { [RS]: 4, [COMPLETES]: 1 } });
    const v = compareWithBaseline(r, baseline, scenario);
    expect(v.known.map((k) => k.checkIds)).toEqual([[RS], [COMPLETES]]);
    expect(v.unexpected).toEqual([]);
    expect(v.stale).toEqual([]);
    expect(v.exitCode).toBe(0);
  });

  it('calls a bug with a check not listed new, and exits 1 naming the check', () => {
    const r = report({ stoppedBy: 'completed', failures: [bug([RS, ATH]), bug([COMPLETES])], failedChecks: { [RS]: 2, [ATH]: 2, [COMPLETES]: 1 } });
    const v = compareWithBaseline(r, baseline, scenario);
    // The rfc9449 entry for ath does not excuse it under the sep-1932 profile.
    expect(v.unexpected).toEqual([{ checkIds: [RS, ATH], unexpectedChecks: [ATH], kind: 'bug', runs: 2 }]);
    expect(v.exitCode).toBe(1);
  });

  it('calls a listed check that failed in no run stale, and exits 1 naming the entry', () => {
    const r = report({ stoppedBy: 'completed', failures: [bug([RS])], failedChecks: { [RS]: 3 } });
    const v = compareWithBaseline(r, baseline, scenario);
    expect(v.stale).toEqual([{ entry: `auth/dpop-fuzz:${COMPLETES}`, scheduleRan: false }]);
    expect(v.exitCode).toBe(1);
  });

  it('does not call a check stale that failed in some run though no counterexample kept it', () => {
    // The minimal schedule of the bug failed rs-nonce only; earlier runs also failed completes.
    const r = report({ stoppedBy: 'completed', failures: [bug([RS])], failedChecks: { [RS]: 3, [COMPLETES]: 3 } });
    expect(compareWithBaseline(r, baseline, scenario).exitCode).toBe(0);
  });

  it('reports a check that failed without a counterexample of its own and is not listed', () => {
    const r = report({ stoppedBy: 'completed', failures: [bug([RS]), bug([COMPLETES])], failedChecks: { [RS]: 3, [COMPLETES]: 1, [ATH]: 2 } });
    expect(compareWithBaseline(r, baseline, scenario).unexpected).toEqual([{ checkIds: [ATH], unexpectedChecks: [ATH], kind: 'check', runs: 2 }]);
  });

  it('judges no entry stale when exploration stopped early', () => {
    const r = report({ stoppedBy: 'failure', failures: [bug([RS])], failedChecks: { [RS]: 1 } });
    const v = compareWithBaseline(r, baseline, scenario);
    expect(v.staleJudged).toBe(false);
    expect(v.stale).toEqual([]);
    expect(v.exitCode).toBe(0);
  });

  it('leaves staleness to the merge on a shard report, which saw only its part of the runs, and says so', () => {
    const shard = report({ stoppedBy: 'completed', shard: { index: 2, count: 2 }, failures: [bug([RS])], failedChecks: { [RS]: 1 } });
    const v = compareWithBaseline(shard, baseline, scenario);
    expect(v).toMatchObject({ staleJudged: false, stale: [], exitCode: 0 });
    expect(staleNotJudgedReason(shard, v)).toBe('this report covers shard 2/2 only; dpop-fuzz merge judges them');
    const merged = mergeReports([shard, { ...shard, shard: { index: 1, count: 2 }, failures: [], failedChecks: {} }]);
    const whole = compareWithBaseline(merged, baseline, scenario);
    expect(whole.staleJudged).toBe(true);
    expect(whole.stale.length).toBeGreaterThan(0);
    expect(staleNotJudgedReason(merged, whole)).toBeNull();
    expect(staleNotJudgedReason(report({ stoppedBy: 'failure' }), v)).toBe('exploration stopped early');
  });

  it('treats a flaky failure like a bug: known if listed, new if not', () => {
    const r = report({ stoppedBy: 'completed', failures: [], flaky: [bug([RS], 'flaky'), bug([ATH], 'flaky')], failedChecks: { [RS]: 1, [ATH]: 1, [COMPLETES]: 1 } });
    const v = compareWithBaseline(r, baseline, scenario);
    expect(v.known).toEqual([{ checkIds: [RS], flaky: true, entries: [`auth/dpop-fuzz:${RS}`] }]);
    expect(v.unexpected.map((u) => [u.kind, u.unexpectedChecks])).toEqual([['flaky', [ATH]]]);
  });

  it('never calls an intermittent entry stale, and still counts it as known when it shows', () => {
    const racy = parseBaseline(`client:\n  - auth/dpop-fuzz:${RS}\n  - auth/dpop-fuzz:${ATH}\ndpop-fuzz:\n  intermittent: [auth/dpop-fuzz:${ATH}]\n`, 'racy.yml');
    const quiet = compareWithBaseline(report({ stoppedBy: 'completed', failures: [bug([RS])], failedChecks: { [RS]: 1 } }), racy, scenario);
    expect(quiet.stale).toEqual([]);
    expect(quiet.exitCode).toBe(0);
    const shown = compareWithBaseline(report({ stoppedBy: 'completed', failures: [bug([RS])], flaky: [bug([ATH], 'flaky')], failedChecks: { [RS]: 1, [ATH]: 1 } }), racy, scenario);
    expect(shown.known.map((k) => [k.checkIds, k.flaky])).toEqual([[[RS], false], [[ATH], true]]);
    expect(shown.exitCode).toBe(0);
  });

  it('lets a whole-scenario entry excuse everything, and go stale when nothing failed', () => {
    const whole = parseBaseline('client:\n  - auth/dpop-fuzz\n', 'w.yml');
    expect(compareWithBaseline(report({ stoppedBy: 'completed', failures: [bug([ATH])], failedChecks: { [ATH]: 1 } }), whole, scenario).exitCode).toBe(0);
    const clean = compareWithBaseline(report({ stoppedBy: 'completed', failures: [], failedChecks: {} }), whole, scenario);
    expect(clean.stale).toEqual([{ entry: 'auth/dpop-fuzz', scheduleRan: false }]);
  });
});

describe('baselineFromReports', () => {
  it('writes a baseline under which the same report is all known, with each entry\'s minimal schedule', () => {
    const nonce = scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'n1' }] } });
    const sep = report({ stoppedBy: 'completed', failures: [bug([RS, COMPLETES]), { ...bug([ATH]), schedule: nonce }], flaky: [bug(['sep-1932-client-unique-jti'], 'flaky')], failedChecks: { [RS]: 2, [COMPLETES]: 2, [ATH]: 1 } });
    const rfc = { ...report({ stoppedBy: 'completed', failures: [bug([ATH])], failedChecks: { [ATH]: 1 } }), profile: 'rfc9449' as const };
    const text = baselineFromReports([sep, rfc]);
    const parsed = parseBaseline(text, 'generated.yml');
    expect(parsed.entries.map((e) => e.text)).toEqual([`auth/dpop-fuzz-rfc9449:${ATH}`, `auth/dpop-fuzz:${ATH}`, `auth/dpop-fuzz:${COMPLETES}`, `auth/dpop-fuzz:${RS}`]);
    // Flaky failures are not accepted into a baseline.
    expect(text).not.toContain('unique-jti');
    expect(parsed.schedules.get(`auth/dpop-fuzz:${ATH}`)).toEqual(nonce);
    expect(compareWithBaseline(sep, parsed, baselineScenario('sep-1932')).unexpected.filter((u) => u.kind !== 'flaky')).toEqual([]);
    expect(compareWithBaseline(rfc, parsed, baselineScenario('rfc9449')).exitCode).toBe(0);
    expect(text).not.toContain('*a');
  });
});
