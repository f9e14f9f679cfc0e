import { describe, expect, it } from 'vitest';
import { FAULTS, FAULT_NAMES, FaultSet, isFaultName } from '../../src/clients/faults.ts';
import type { FaultName } from '../../src/clients/faults.ts';
import type { MiniWorldOptions, RecordedRequest } from './support/mini-world.ts';
import { runAgainst } from './support/run.ts';
import type { RunResult } from './support/run.ts';

interface FaultCase {
  /** A server behaviour under which the fault shows. */
  readonly world: MiniWorldOptions;
  readonly query?: string;
  /** True when the run shows the fault; must be false for the reference client. */
  readonly shows: (run: RunResult) => boolean;
}

const claim = (r: RecordedRequest | undefined, name: string): unknown => r?.proofClaims?.[name];
const afterFirst = (requests: RecordedRequest[], error: string): RecordedRequest[] => {
  const i = requests.findIndex((r) => r.error === error);
  return i === -1 ? [] : requests.slice(i + 1);
};

/** `dpop_jkt` of the authorization request (RFC 9449 §10). */
const dpopJktOf = (r: RecordedRequest | undefined): string | null => (r === undefined ? null : new URL(r.path, 'http://x').searchParams.get('dpop_jkt'));

const CASES: Record<FaultName, FaultCase> = {
  'token-proof-typ-jwt': {
    world: {},
    shows: ({ world, error }) => world.at('token').some((r) => r.proofHeader?.['typ'] === 'JWT') && /invalid_dpop_proof/.test(error?.message ?? ''),
  },
  'bearer-scheme': {
    world: {},
    shows: ({ world }) => world.mcpAuthenticated.some((r) => r.authorization?.startsWith('Bearer ') === true && r.dpop !== null),
  },
  'iat-milliseconds': {
    world: {},
    shows: ({ world }) =>
      world.mcpAuthenticated.some((r) => Number(claim(r, 'iat')) > 1e12) && world.at('token').every((r) => Number(claim(r, 'iat')) < 1e11),
  },
  'ignore-as-nonce': {
    world: { tokenActions: [{ kind: 'use-dpop-nonce', nonce: 'as-n' }] },
    shows: ({ world }) => {
      const retries = afterFirst(world.at('token'), 'use_dpop_nonce');
      return retries.length > 0 && retries.every((r) => claim(r, 'nonce') === undefined);
    },
  },
  'ignore-rs-nonce': {
    world: { mcpActions: { post: [{ kind: 'use-dpop-nonce', nonce: 'rs-n' }] } },
    shows: ({ world }) => {
      const retries = afterFirst(world.mcpAuthenticated, 'use_dpop_nonce');
      return retries.length > 0 && retries.every((r) => claim(r, 'nonce') === undefined);
    },
  },
  'token-type-case-sensitive': {
    world: { tokenType: 'dpop' },
    shows: ({ world, error }) => /token_type "dpop"/.test(error?.message ?? '') && world.mcpAuthenticated.length === 0,
  },
  'htu-with-query': {
    world: {},
    query: 'tenant=a',
    shows: ({ world }) => world.mcpAuthenticated.some((r) => String(claim(r, 'htu')).endsWith('?tenant=a')),
  },
  'ath-hex': {
    world: {},
    shows: ({ world }) => world.mcpAuthenticated.some((r) => /^[0-9a-f]{64}$/.test(String(claim(r, 'ath')))),
  },
  'jti-counter': {
    world: {},
    shows: ({ world }) => {
      const jtis = world.requests.filter((r) => r.dpop !== null).map((r) => claim(r, 'jti'));
      return new Set(jtis).size < jtis.length;
    },
  },
  'ignore-advertised-algs': {
    world: { algs: ['PS256'] },
    shows: ({ world }) => world.at('token').some((r) => r.proofHeader?.['alg'] === 'ES256'),
  },
  'new-key-per-request': {
    world: {},
    shows: ({ world }) => world.mcpAuthenticated.some((r) => r.jkt !== world.tokens[0]?.jkt),
  },
  'ignore-nonce-on-success': {
    world: { mcpActions: { post: [{ kind: 'ok-new-nonce', nonce: 'fresh' }] } },
    // The next POST goes without the nonce and draws a challenge.
    shows: ({ world }) => world.mcpAuthenticated.some((r) => r.error === 'use_dpop_nonce'),
  },
  'swallow-invalid-proof': {
    world: { tokenActions: [{ kind: 'invalid-dpop-proof' }] },
    shows: ({ error }) => error === null,
  },
  'bearer-after-invalid-token': {
    world: { mcpActions: { post: [{ kind: 'invalid-token' }] } },
    shows: ({ world }) => world.mcpAuthenticated.some((r) => r.authorization?.startsWith('Bearer ') === true && r.dpop !== null),
  },
  'unbounded-nonce-retries': {
    world: { mcpActions: { post: ['a', 'b', 'c', 'd', 'e'].map((nonce) => ({ kind: 'use-dpop-nonce' as const, nonce })) } },
    shows: ({ world, error }) => error === null && world.mcpAuthenticated.filter((r) => r.error === 'use_dpop_nonce').length === 5,
  },
  'accept-unknown-token-type': {
    world: { tokenType: 'N_A' },
    shows: ({ world }) => world.mcpAuthenticated.length > 0,
  },
  'resend-after-transient': {
    world: { mcpActions: { post: [{ kind: 'transient', status: 429, retryAfter: 0 }] } },
    shows: ({ world }) => {
      const [first, second] = world.mcpAuthenticated;
      return first?.status === 429 && second !== undefined && second.dpop === first.dpop;
    },
  },
  'bearer-token-despite-required': {
    world: { tokenType: 'Bearer', boundTokensRequired: true },
    shows: ({ world }) => world.mcpAuthenticated.some((r) => r.authorization?.startsWith('Bearer ') === true && r.dpop === null),
  },
  'dpop-scheme-for-bearer-token': {
    world: { tokenType: 'Bearer' },
    shows: ({ world }) => world.mcpAuthenticated.some((r) => r.authorization?.startsWith('DPoP ') === true && r.dpop !== null),
  },
  'reuse-refresh-token': {
    world: { refreshTokens: true, mcpActions: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }, { kind: 'ok' }, { kind: 'invalid-token' }] } },
    shows: ({ world }) => {
      const refreshed = world.at('token').filter((r) => r.form?.['grant_type'] === 'refresh_token').map((r) => r.form?.['refresh_token']);
      return refreshed.length >= 2 && refreshed[1] === refreshed[0];
    },
  },
  'follow-redirect-with-credentials': {
    world: { redirectFirstMcpPost: true, redirectToOtherOrigin: true },
    shows: ({ world }) => world.requests.some((r) => world.elsewhere.endsWith(r.host) && r.authorization !== null && r.dpop !== null),
  },
  'dpop-jkt-other-key': {
    world: {},
    shows: ({ world }) => {
      const named = dpopJktOf(world.at('authorize')[0]);
      const exchange = world.at('token').find((r) => r.form?.['grant_type'] === 'authorization_code');
      return named !== null && exchange?.jkt !== undefined && exchange.jkt !== named;
    },
  },
  'strip-token-padding': {
    world: { paddedTokens: true },
    shows: ({ world }) => world.mcpAuthenticated.some((r) => /^DPoP at-[0-9a-f-]+$/.test(r.authorization ?? '')),
  },
};

describe('FAULTS', () => {
  it('describes every fault in one line and recognises only known names', () => {
    for (const name of FAULT_NAMES) {
      expect(isFaultName(name)).toBe(true);
      expect(FAULTS[name]).not.toMatch(/\n/);
    }
    expect(isFaultName('nope')).toBe(false);
    expect(isFaultName('toString')).toBe(false);
    expect(() => new FaultSet(['nope' as FaultName])).toThrow(/unknown fault/);
  });

  it('has a test case for every fault', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FAULT_NAMES].sort());
  });
});

describe.each(FAULT_NAMES)('fault %s', (fault) => {
  const { world, query, shows } = CASES[fault];

  it('does not show in the reference client', async () => {
    const run = await runAgainst(world, query !== undefined ? { query } : {});
    expect(shows(run)).toBe(false);
  });

  it('shows in the broken client', async () => {
    const run = await runAgainst(world, { faults: [fault], ...(query !== undefined ? { query } : {}) });
    expect(shows(run)).toBe(true);
  });
});
