import { describe, expect, it } from 'vitest';
import { runClient } from '../../src/clients/reference.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import type { ClientTarget } from '../../src/driver/types.ts';
import { fuzz } from '../../src/runner/fuzz.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';

const target = (faults: (run: number) => FaultName[]): ClientTarget => {
  let run = 0;
  return { kind: 'function', name: 'test', run: (url, o) => runClient(url, { ...o, faults: faults(run++) }) };
};

const base = { clientName: 'test', workers: 2, timeoutMs: 20_000 } as const;

describe('fuzz', () => {
  it('is reproducible: the same seed exercises the same schedules', async () => {
    const a = await fuzz({ ...base, target: target(() => []), runs: 12, seed: 77 });
    const b = await fuzz({ ...base, target: target(() => []), runs: 12, seed: 77 });
    const c = await fuzz({ ...base, target: target(() => []), runs: 12, seed: 78 });
    expect(a.failures).toEqual([]);
    expect(a.runs).toBe(12);
    expect(b.statistics).toEqual(a.statistics);
    expect(c.statistics).not.toEqual(a.statistics);
  });

  it('tries the corpus first', async () => {
    const challenge = scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'corpus|0' }] } });
    const report = await fuzz({ ...base, workers: 1, target: target(() => ['ignore-rs-nonce']), runs: 5, seed: 1, examples: [challenge], confirmations: 1, maxShrinkRuns: 5 });
    expect(report.failures[0]?.foundAtRun).toBe(1);
    expect(report.failures[0]?.checkIds).toEqual(['sep-1932-client-rs-nonce']);
  });

  it('shrinks, confirms by replay and reports through every callback', async () => {
    const found: number[] = [];
    const reports: number[] = [];
    const report = await fuzz({
      ...base,
      target: target(() => ['htu-with-query']),
      runs: 200,
      seed: 5,
      maxBugs: 1,
      onFound: (f) => void found.push(f.run),
      onCounterexample: async (f) => ({ replayCommand: `replay ${f.checkIds.join(',')}`, corpusFile: null }),
      onReport: (r) => void reports.push(r.failures.length),
    });
    const bug = report.failures[0]!;
    expect(report.stoppedBy).toBe('failure');
    expect(bug.verdict).toBe('bug');
    expect(bug.checkIds).toContain('sep-1932-client-htm-htu-match');
    expect(bug.confirmation).toEqual({ replays: 3, reproduced: 3 });
    expect(bug.replayCommand).toBe(`replay ${bug.checkIds.join(',')}`);
    // Shrunk to the one thing the fault needs: a query on the MCP URL.
    expect(bug.schedule).toEqual(scheduleWith({ mcp: { query: bug.schedule.mcp.query }, plan: [['tools/list']] }));
    expect(bug.schedule.mcp.query).not.toBeNull();
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(reports.at(-1)).toBe(1);
    expect(bug.trace.entries.length).toBeGreaterThan(0);
  });

  it('keeps searching after a bug: three independent faults are three shrunk, confirmed bugs', async () => {
    const faults: FaultName[] = ['htu-with-query', 'ignore-rs-nonce', 'token-type-case-sensitive'];
    const found: string[][] = [];
    const report = await fuzz({ ...base, target: target(() => faults), runs: 150, seed: 1, onFound: (f) => void found.push([...f.checkIds]) });
    expect(report.stoppedBy).toBe('completed');
    expect(report.runs).toBe(150);
    expect(report.maxBugs).toBeNull();
    // One bug per fault, each named by the checks its minimal schedule fails.
    expect(report.failures.map((f) => f.checkIds)).toEqual(
      expect.arrayContaining([['sep-1932-client-htm-htu-match'], ['sep-1932-client-rs-nonce'], ['sep-1932-client-completes']]),
    );
    expect(report.failures).toHaveLength(3);
    expect(report.flaky).toEqual([]);
    for (const bug of report.failures) {
      expect(bug.verdict).toBe('bug');
      expect(bug.confirmation).toEqual({ replays: 3, reproduced: 3 });
      // Runs that failed these checks again were counted, not shrunk again.
      expect(bug.hits).toBeGreaterThanOrEqual(1);
      expect(bug.hits).toBeLessThanOrEqual(report.failedChecks[bug.checkIds[0]!]!);
    }
    expect(report.failures.some((bug) => bug.hits > 1)).toBe(true);
    // Every first sighting is written at once, before shrinking; a run that showed two faults
    // together is one more sighting, whose shrunk bug then merges with its twin: so at least one
    // per bug, and every bug among them.
    expect(found.length).toBeGreaterThanOrEqual(3);
    for (const bug of report.failures) expect(found.some((checks) => bug.checkIds.every((id) => checks.includes(id))), bug.checkIds.join()).toBe(true);
    // In the order found (all are FAILUREs).
    expect(report.failures.map((f) => f.foundAtRun)).toEqual([...report.failures.map((f) => f.foundAtRun)].sort((a, b) => a - b));
    // The schedule of the nonce bug holds a nonce challenge and nothing about URLs or token types.
    const nonce = report.failures.find((f) => f.checkIds[0] === 'sep-1932-client-rs-nonce')!;
    expect(nonce.schedule.mcp.query).toBeNull();
    expect(nonce.schedule.as.tokenType).toBe('DPoP');
  });

  it('stops exploring after --max-bugs distinct failures', async () => {
    const faults: FaultName[] = ['htu-with-query', 'ignore-rs-nonce', 'token-type-case-sensitive'];
    const report = await fuzz({ ...base, target: target(() => faults), runs: 150, seed: 1, maxBugs: 2, confirmations: 1 });
    expect(report.stoppedBy).toBe('failure');
    expect(report.maxBugs).toBe(2);
    expect(report.failures.length + report.flaky.length).toBe(2);
    expect(report.runs).toBeLessThan(150);
  });

  it('reports a bug that several searches found once', async () => {
    // Fails under every schedule: all four searches find it at their first run.
    const report = await fuzz({ ...base, workers: 4, target: target(() => ['bearer-scheme']), runs: 8, seed: 6, confirmations: 1, maxShrinkRuns: 10 });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]!.checkIds).toContain('sep-1932-client-dpop-auth-scheme');
  });

  it('reports a failure that does not reproduce on replay as flaky, not as a bug', async () => {
    // Broken on the very first run only: a verdict no replay can confirm.
    const report = await fuzz({ ...base, workers: 1, target: target((run) => (run === 0 ? ['bearer-scheme'] : [])), runs: 3, seed: 2, confirmations: 2 });
    expect(report.failures).toEqual([]);
    expect(report.flaky).toHaveLength(1);
    expect(report.flaky[0]!.verdict).toBe('flaky');
    expect(report.flaky[0]!.confirmation.reproduced).toBe(0);
    expect(report.flaky[0]!.checkIds).toContain('sep-1932-client-dpop-auth-scheme');
  });

  it('counts WARNINGs only with failOn: warning', async () => {
    // Under --profile rfc9449 an unadvertised algorithm is a WARNING (RFC 9449 §5.1), not a FAILURE.
    const algs = scheduleWith({ as: { algs: ['PS256'] } });
    const judge = { profile: 'rfc9449' } as const;
    const lax = await fuzz({ ...base, workers: 1, target: target(() => ['ignore-advertised-algs']), runs: 1, seed: 3, examples: [algs], judge });
    const strict = await fuzz({ ...base, workers: 1, target: target(() => ['ignore-advertised-algs']), runs: 1, seed: 3, examples: [algs], judge, failOn: 'warning', maxShrinkRuns: 3 });
    expect(lax.failures).toEqual([]);
    expect(strict.failures[0]?.checkIds).toEqual(['sep-1932-client-advertised-alg']);
  });

  it('stops when aborted and still returns the report', async () => {
    const abort = new AbortController();
    const report = await fuzz({ ...base, target: target(() => []), runs: 10_000, seed: 4, signal: abort.signal, onProgress: (p) => p.runs >= 3 && abort.abort() });
    expect(report.stoppedBy).toBe('interrupted');
    expect(report.runs).toBeLessThan(20);
  });

  it('gives up with an infrastructure error when the client never reaches the servers', async () => {
    const dead: ClientTarget = { kind: 'function', name: 'dead', run: async () => Promise.reject(new Error('cannot start')) };
    await expect(fuzz({ ...base, target: dead, runs: 50, seed: 1 })).rejects.toThrow(/made no HTTP request/);
    // Exiting 0 without a request is no better: nothing could be judged.
    const idle: ClientTarget = { kind: 'function', name: 'idle', run: async () => undefined };
    await expect(fuzz({ ...base, target: idle, runs: 2, seed: 1 })).rejects.toThrow(/reached the servers|made no HTTP request/);
  });

  it('counts and shows runs that never reached the servers when other runs did, without judging them', async () => {
    // Chokes on an MCP URL with a query string: only the URL comes from the schedule before the first request.
    const picky: ClientTarget = {
      kind: 'function',
      name: 'picky',
      run: async (url, o) => {
        if (url.includes('?')) throw new Error('cannot parse the URL');
        return runClient(url, o);
      },
    };
    const report = await fuzz({ ...base, target: picky, runs: 40, seed: 8 });
    expect(report.failures).toEqual([]);
    expect(report.crashes.runs).toBeGreaterThan(0);
    expect(report.crashes.schedules.every((s) => s.mcp.query !== null)).toBe(true);
  });

  it('does not judge runs cut short by an abort', async () => {
    const abort = new AbortController();
    // Aborted while the first runs are in flight: their partial traces must not become failures.
    const report = await fuzz({ ...base, workers: 4, target: target(() => []), runs: 1000, seed: 10, signal: abort.signal, onProgress: (p) => p.runs >= 1 && abort.abort() });
    expect(report.stoppedBy).toBe('interrupted');
    expect([...report.failures, ...report.flaky]).toEqual([]);
  });
});
