import type { CheckResult } from '../../src/checks/types.ts';
import { BASE_SCHEDULE, scheduleWith } from '../../src/schedule/defaults.ts';
import type { FailureReport, FuzzReport } from '../../src/report/types.ts';
import type { Trace } from '../../src/trace/types.ts';
import { TraceBuilder, withToken } from '../checks/trace-builder.ts';

/** The trace of a client that ignores the MCP server's nonce challenge (RFC 9449 §9). */
export function ignoredNonceTrace(): Trace {
  const b = new TraceBuilder();
  withToken(b, 'AT1');
  b.add({ at: 2, done: 3, proof: { jti: 'jti-first-request-0001' }, token: 'AT1', key: 'list', status: 401, error: 'use_dpop_nonce', nonce: 'rs-n1', decision: { kind: 'nonce-required', nonce: 'rs-n1' } });
  b.add({ at: 4, done: 5, proof: { jti: 'jti-retry-request-0002' }, token: 'AT1', key: 'list', status: 401, error: 'use_dpop_nonce', nonce: 'rs-n1', decision: { kind: 'nonce-required', nonce: 'rs-n1' } });
  return b.trace();
}

export const RS_NONCE_FAILURE: CheckResult = {
  id: 'sep-1932-client-rs-nonce',
  status: 'FAILURE',
  message: 'retry POST #2 carried no nonce instead of "rs-n1" supplied by #1.',
  evidence: [1, 2],
};

export const NONCE_SCHEDULE = scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'rs-n1' }] } });

export function failure(overrides: Partial<FailureReport> = {}): FailureReport {
  return {
    checkIds: ['sep-1932-client-rs-nonce'],
    results: [RS_NONCE_FAILURE],
    schedule: NONCE_SCHEDULE,
    originalSchedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'rs-n1' }], challenge: 'DPoP+Bearer' }, plan: [['tools/list', 'ping'], ['tools/call']] }),
    trace: ignoredNonceTrace(),
    outcome: { exitCode: 1, signal: null, timedOut: false, stdout: '', stderr: 'Error: 401 use_dpop_nonce\n', durationMs: 1234 },
    fastCheck: { seed: 42, path: '7:1:0', shrinks: 5 },
    foundAtRun: 8,
    verdict: 'bug',
    confirmation: { replays: 3, reproduced: 3 },
    replayCommand: "dpop-fuzz replay corpus/rs-nonce-1.json --command 'node client.js'",
    corpusFile: 'corpus/rs-nonce-1.json',
    hits: 1,
    ...overrides,
  };
}

export function report(overrides: Partial<FuzzReport> = {}): FuzzReport {
  return {
    tool: { name: 'mcp-dpop-fuzz', version: '0.1.0' },
    client: { kind: 'command', name: 'node client.js' },
    seed: 42,
    requestedRuns: 100,
    runs: 8,
    shrinkRuns: 5,
    crashes: { runs: 0, schedules: [] },
    warnings: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12_300,
    stoppedBy: 'failure',
    maxBugs: 1,
    failedChecks: {},
    failures: [],
    flaky: [],
    statistics: { 'mcp.post': { 'use-dpop-nonce': 3, ok: 5 }, topology: { 'separate-origins': 8 } },
    ...overrides,
  };
}

export { BASE_SCHEDULE };
