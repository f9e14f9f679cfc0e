import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineScenario, parseBaseline } from '../../src/baseline/expected-failures.ts';
import { loadCorpusFile } from '../../src/corpus/store.ts';
import type { FuzzReport } from '../../src/report/types.ts';
import { cli } from '../cli/support/cli.ts';

/**
 * The published-library targets' known findings are still found: each
 * target's `expected-failures.yml` is run through `dpop-fuzz run` (in
 * process, fixed seed, a few generated runs after the baseline's minimal
 * schedules) under each profile it lists, and the run must end green: every
 * entry found again (none stale), nothing new. A regression in the fuzzer
 * that hides a finding turns this red; so does a judge change that calls a
 * new thing wrong in these libraries. A finding that depends on how the
 * library's concurrent requests interleave (the SDK's parallel refreshes) may
 * not show in the one run of its schedule: an entry the run calls stale must
 * then fail its check in one of five replays of its schedule.
 */
const PROFILES = ['sep-1932', 'rfc9449'] as const;

interface Case {
  readonly target: string;
  readonly profile: (typeof PROFILES)[number];
  readonly entries: readonly string[];
  /** Entry → its minimal schedule. */
  readonly schedules: ReadonlyMap<string, unknown>;
}

async function cases(): Promise<Case[]> {
  const out: Case[] = [];
  for (const target of (await readdir('examples')).sort()) {
    const file = path.join('examples', target, 'expected-failures.yml');
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    const baseline = parseBaseline(text, file);
    for (const profile of PROFILES) {
      const entries = baseline.entries.filter((e) => e.scenario === baselineScenario(profile)).map((e) => e.text);
      // Every entry must have its minimal schedule, or this slice would depend on what the random
      // runs reach; only a race (intermittent) has none, and is never stale.
      for (const entry of entries) expect(baseline.schedules.has(entry) || baseline.intermittent.has(entry), `${file}: ${entry} has no schedule`).toBe(true);
      out.push({ target, profile, entries, schedules: baseline.schedules });
    }
  }
  return out;
}

const all = await cases();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-findings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the library targets still show their known findings', () => {
  it('ships a baseline for every library target', () => {
    expect([...new Set(all.map((c) => c.target))]).toEqual(['oauth4webapi', 'openid-client', 'sdk-v2-client']);
  });

  it('keeps a replayable schedule for every finding of FINDINGS.md, each listed in its baseline', async () => {
    const findings = await readFile('FINDINGS.md', 'utf8');
    const files = [...findings.matchAll(/npx dpop-fuzz replay (examples\/([^/]+)\/findings\/[\w-]+\.json)/g)];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const [, file, target] of files) {
      const entry = await loadCorpusFile(file!);
      expect(entry.client).toBe(`module:examples/${target}/client.ts`);
      const baseline = parseBaseline(await readFile(path.join('examples', target!, 'expected-failures.yml'), 'utf8'), target!);
      for (const check of entry.checks) expect(baseline.entries.map((e) => e.text), `${file}: ${check}`).toContain(`${baselineScenario('sep-1932')}:${check}`);
    }
  });

  it.concurrent.for(all.map((c) => [`${c.target} (${c.profile})`, c] as const))('%s', { timeout: 240_000 }, async ([, c], { expect }) => {
    const out = path.join(dir, `${c.target}-${c.profile}`);
    const args = ['run', '--module', path.join('examples', c.target, 'client.ts'), '--profile', c.profile, '--runs', '6', '--seed', '2026', '--workers', '2', '--confirm', '1'];
    const r = await cli([...args, '--no-corpus', '--expected-failures', path.join('examples', c.target, 'expected-failures.yml'), '--out', out, '--quiet'], 230_000);
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as FuzzReport;
    expect(report.baseline?.unexpected, r.stdout).toEqual([]);
    expect(report.baseline?.known.length ?? 0).toBeGreaterThanOrEqual(c.entries.length > 0 ? 1 : 0);
    for (const { entry } of report.baseline?.stale ?? []) {
      const check = entry.slice(entry.indexOf(':') + 1);
      const file = path.join(dir, `${c.target}-${c.profile}-${check}.json`);
      await writeFile(file, JSON.stringify(c.schedules.get(entry)));
      const replay = await cli(['replay', file, '--module', path.join('examples', c.target, 'client.ts'), '--profile', c.profile, '--checks', check, '--times', '5'], 200_000);
      expect(replay.stdout, `${entry} was stale and did not fail in 5 replays of its schedule`).toMatch(new RegExp(`FAILURE\\s+${check}`));
    }
    if ((report.baseline?.stale ?? []).length === 0) expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
