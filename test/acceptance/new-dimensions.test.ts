/**
 * The reference client stays conformant under every newer schedule
 * dimension — shared origin, token endpoint query and redirect, opaque
 * tokens, challenge spellings, the resource metadata flag, MCP redirect,
 * response delays — alone and combined: a whole run judged by every check
 * has no FAILURE and no WARNING. Each case also asserts that its dimension
 * really showed in the trace, so a pass is never vacuous.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.ts';
import { runClient } from '../../src/clients/reference.ts';
import type { ClientTarget } from '../../src/driver/types.ts';
import { runOnce } from '../../src/runner/run-once.ts';
import { DEFAULT_CHALLENGE_FORMAT, scheduleWith } from '../../src/schedule/defaults.ts';
import { PRESETS, type PresetName } from '../../src/schedule/presets.ts';
import type { ChallengeFormat, Schedule } from '../../src/schedule/types.ts';
import { parseSchedule } from '../../src/schedule/validate.ts';
import type { Trace } from '../../src/trace/types.ts';

const reference: ClientTarget = {
  kind: 'function',
  name: 'reference',
  run: (url, options) => runClient(url, { context: options.context, signal: options.signal, log: options.log }),
};

const flagged = (results: readonly CheckResult[]) => results.filter((r) => r.status === 'FAILURE' || r.status === 'WARNING').map((r) => `${r.id}: ${r.message}`);

/**
 * Runs the reference client under `schedule` (validated first), asserts a
 * clean verdict and returns the trace and exit code. (Some presets make a
 * correct client fail on purpose, e.g. an endless nonce; the checks judge that.)
 */
async function cleanRun(schedule: Schedule): Promise<{ trace: Trace; exitCode: number | null }> {
  expect(parseSchedule(JSON.parse(JSON.stringify(schedule)))).toEqual(schedule);
  const { results, trace, outcome } = await runOnce({ target: reference, schedule, timeoutMs: 20_000 });
  expect(flagged(results), outcome.stderr).toEqual([]);
  return { trace, exitCode: outcome.exitCode };
}

const ALL_ON: ChallengeFormat = { schemeCase: 'dpop', errorFirst: false, bareError: true, spaced: true, extraParam: true, bearerFirst: false, separateHeaders: true };

const challenged = { post: [{ kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'rs-n1' }, { kind: 'invalid-token' }] } as const;

type Case = readonly [string, Parameters<typeof scheduleWith>[0], (trace: Trace) => void];

const CASES: readonly Case[] = [
  [
    'same-origin, both servers demanding and rotating nonces',
    {
      topology: 'same-origin',
      as: { initialNonce: 'as-0', tokenRequests: [{ kind: 'ok-new-nonce', nonce: 'as-1' }] },
      mcp: { initialNonce: 'rs-0', post: [{ kind: 'ok-new-nonce', nonce: 'rs-1' }, { kind: 'ok' }, { kind: 'invalid-token' }] },
    },
    (t) => {
      expect(t.asOrigin).toBe(t.mcpOrigin);
      expect(new Set(t.entries.map((e) => e.server))).toEqual(new Set(['as', 'mcp']));
      expect(t.tokens.map((x) => x.grantType)).toEqual(['authorization_code', 'refresh_token']);
    },
  ],
  [
    'a query on the token endpoint',
    { as: { tokenQuery: 'tenant=a&x=%2F', tokenRequests: [{ kind: 'use-dpop-nonce', nonce: 'as-q' }] } },
    (t) => expect(t.entries.filter((e) => e.endpoint === 'token').every((e) => new URL(e.url).search === '?tenant=a&x=%2F')).toBe(true),
  ],
  [
    'a 307 in front of the token endpoint, with a nonce challenge behind it',
    { as: { tokenRedirect: 307, tokenRequests: [{ kind: 'use-dpop-nonce', nonce: 'as-r' }] } },
    (t) => expect(t.entries.filter((e) => e.endpoint === 'token').map((e) => [new URL(e.url).pathname, e.status])).toEqual([
      ['/token', 307],
      ['/token/moved', 400],
      ['/token/moved', 200],
    ]),
  ],
  [
    'a 308 in front of the token endpoint and a refresh through it',
    { as: { tokenRedirect: 308, tokenQuery: 'v=2' }, mcp: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }] } },
    (t) => expect(t.entries.filter((e) => e.status === 308 && e.grant?.type === 'refresh_token')).toHaveLength(1),
  ],
  ...([0, 1, 2] as const).map(
    (padding): Case => [
      `opaque tokens with padding ${padding}, renewed after invalid_token`,
      { as: { accessTokens: { kind: 'opaque', stem: 'Az09-._~+/', padding } }, mcp: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }] } },
      (t) => {
        // stem, the part drawn per world (8 base64url characters), counter, padding.
        const salt = t.tokens[0]!.accessToken.slice('Az09-._~+/'.length, 'Az09-._~+/'.length + 8);
        expect(t.tokens.map((x) => x.accessToken)).toEqual([`Az09-._~+/${salt}0${'='.repeat(padding)}`, `Az09-._~+/${salt}1${'='.repeat(padding)}`]);
      },
    ],
  ),
  [
    'every challenge switch on, DPoP+Bearer, nonce and invalid_token',
    { mcp: { challenge: 'DPoP+Bearer', challengeFormat: ALL_ON, ...challenged } },
    (t) => expect(t.entries.some((e) => /^Bearer .*, dpop  foo = /.test(e.responseHeaders['www-authenticate'] ?? '') || /^dpop  foo = .*, Bearer /.test(e.responseHeaders['www-authenticate'] ?? ''))).toBe(true),
  ],
  [
    'uppercase scheme, bare error first, Bearer first in one field',
    { mcp: { challenge: 'DPoP+Bearer', challengeFormat: { ...DEFAULT_CHALLENGE_FORMAT, schemeCase: 'DPOP', bareError: true }, ...challenged } },
    (t) => expect(t.entries.some((e) => /^Bearer resource_metadata="[^"]*", DPOP error=use_dpop_nonce,/.test(e.responseHeaders['www-authenticate'] ?? ''))).toBe(true),
  ],
  [
    'a Bearer-only challenge, spaced, with an unknown parameter',
    { mcp: { challenge: 'Bearer', boundTokensRequired: null, challengeFormat: { ...DEFAULT_CHALLENGE_FORMAT, spaced: true, extraParam: true, errorFirst: false }, post: [{ kind: 'ok' }, { kind: 'invalid-token' }] } },
    (t) => expect(t.entries.some((e) => /^Bearer  foo = "bar, error=\\"invalid_request\\""/.test(e.responseHeaders['www-authenticate'] ?? ''))).toBe(true),
  ],
  ...([null, false] as const).map(
    (flag): Case => [
      `dpop_bound_access_tokens_required ${String(flag)}`,
      { mcp: { boundTokensRequired: flag } },
      (t) => expect(t.entries.some((e) => e.endpoint === 'prm' && e.status === 200)).toBe(true),
    ],
  ),
  ...([307, 308] as const).map(
    (status): Case => [
      `a ${status} in front of the MCP endpoint, with a query and rotating nonces`,
      { mcp: { redirect: status, query: 'tenant=a', initialNonce: 'rs-0', post: [{ kind: 'ok-new-nonce', nonce: 'rs-1' }, { kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'rs-2' }] } },
      (t) => {
        const hops = t.entries.filter((e) => e.status === status);
        expect(hops.length).toBeGreaterThanOrEqual(5);
        expect(hops.every((e) => e.responseHeaders['location'] === '/mcp/moved?tenant=a')).toBe(true);
      },
    ],
  ),
  [
    'response delays holding back concurrent answers while the nonce rotates',
    {
      mcp: { initialNonce: 'cc-0', post: [{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok-new-nonce', nonce: 'cc-1' }, { kind: 'ok' }, { kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'cc-2' }] },
      plan: [['tools/list', 'tools/call', 'ping'], ['tools/call', 'ping']],
      // Falling delays over the requests after initialize, so the first of concurrent requests tends to be answered last.
      responseDelays: [0, 0, 0, 0, 0, 0, 0, 0, 0, 400, 300, 200, 100, 400, 300, 200, 100],
    },
    (t) => {
      const held = t.entries.filter((e) => e.respondedAt - e.receivedAt >= 395);
      expect(held.length).toBeGreaterThanOrEqual(1);
      expect(t.entries.length).toBeGreaterThan(16);
    },
  ],
  [
    'everything at once',
    {
      topology: 'same-origin',
      as: { tokenQuery: 'q=1', tokenRedirect: 308, accessTokens: { kind: 'opaque', stem: '~+/', padding: 1 }, initialNonce: 'as-0', tokenRequests: [{ kind: 'ok-new-nonce', nonce: 'as-1' }] },
      mcp: {
        redirect: 307,
        query: 'tenant=b',
        initialNonce: 'rs-0',
        challenge: 'DPoP+Bearer',
        challengeFormat: ALL_ON,
        boundTokensRequired: null,
        post: [{ kind: 'ok-new-nonce', nonce: 'rs-1' }, { kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'rs-2' }, { kind: 'invalid-token' }],
      },
      plan: [['tools/list', 'ping'], ['tools/call']],
      responseDelays: [0, 40, 0, 0, 30, 0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 20],
    },
    (t) => {
      expect(t.asOrigin).toBe(t.mcpOrigin);
      expect(t.entries.some((e) => e.status === 308)).toBe(true);
      expect(t.entries.some((e) => e.status === 307)).toBe(true);
      expect(t.tokens.map((x) => x.accessToken)).toEqual([expect.stringMatching(/^~\+\/[\w-]{8}0=$/), expect.stringMatching(/^~\+\/[\w-]{8}1=$/)]);
    },
  ],
];

describe('the reference client under the newer schedule dimensions', () => {
  it.each(CASES)('passes every check: %s', async (_name, patch, shows) => {
    const { trace, exitCode } = await cleanRun(scheduleWith(patch));
    expect(exitCode).toBe(0);
    shows(trace);
  });
});

/** A preset moved onto one origin, behind both redirects, with opaque tokens and every challenge switch on. */
function transformed(schedule: Schedule): Schedule {
  return {
    ...schedule,
    topology: 'same-origin',
    as: { ...schedule.as, tokenRedirect: 307, tokenQuery: 'p=1', accessTokens: { kind: 'opaque', stem: 'p+/', padding: 2 } },
    mcp: { ...schedule.mcp, redirect: 308, challengeFormat: ALL_ON },
  };
}

describe('every preset, transformed onto the newer dimensions', () => {
  it.each(Object.keys(PRESETS) as PresetName[])('the reference client passes every check under %s', async (preset) => {
    const { trace } = await cleanRun(transformed(PRESETS[preset].schedule));
    expect(trace.asOrigin).toBe(trace.mcpOrigin);
    expect(trace.entries.some((e) => e.endpoint === 'token' && e.status === 307)).toBe(true);
  });
});
