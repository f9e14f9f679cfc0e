import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleArbitrary, SCHEDULE_DIMENSIONS, type ScheduleDimension } from '../../src/schedule/arbitraries.ts';
import { BASE_SCHEDULE } from '../../src/schedule/defaults.ts';
import type { McpAction, Schedule } from '../../src/schedule/types.ts';
import { parseSchedule } from '../../src/schedule/validate.ts';

const sample = (only?: ScheduleDimension[], without?: ScheduleDimension[]) =>
  fc.sample(scheduleArbitrary({ ...(only ? { only } : {}), ...(without ? { without } : {}) }), { seed: 42, numRuns: 400 });

const mcpActions = (s: Schedule): McpAction[] => [...s.mcp.post, ...s.mcp.get, ...s.mcp.delete];
const hasRedirect = (s: Schedule) => s.as.tokenRedirect !== null || s.mcp.redirect !== null || mcpActions(s).some((a) => a.kind === 'redirect-elsewhere');
const hasNonceEvent = (s: Schedule) =>
  s.as.initialNonce !== null || s.mcp.initialNonce !== null || [...s.as.tokenRequests, ...mcpActions(s)].some((a) => 'nonce' in a) || s.as.then.kind === 'use-dpop-nonce' || s.mcp.then.kind === 'use-dpop-nonce';
const hasError = (s: Schedule) =>
  [...s.as.tokenRequests, ...mcpActions(s), s.as.then, s.mcp.then].some((a) => a.kind === 'invalid-dpop-proof' || a.kind === 'invalid-token' || a.kind === 'transient');
/** The schedule with its nonce fields reset to the base: what `only: ['nonces']` must leave untouched. */
const withoutNonces = (s: Schedule): Schedule => ({
  ...s,
  as: { ...s.as, initialNonce: null, tokenRequests: [], then: { kind: 'ok' } },
  mcp: { ...s.mcp, initialNonce: null, post: [], get: [], delete: [], then: { kind: 'ok' } },
  plan: BASE_SCHEDULE.plan,
});

describe('scheduleArbitrary dimensions', () => {
  it('only nonces: nonce events vary, everything else keeps the base values', () => {
    const schedules = sample(['nonces']);
    expect(schedules.filter(hasNonceEvent).length).toBeGreaterThan(100);
    for (const s of schedules) {
      expect(withoutNonces(s)).toEqual({ ...BASE_SCHEDULE, plan: BASE_SCHEDULE.plan });
      // Every scheduled action is a nonce event or a plain answer.
      expect([...s.as.tokenRequests, ...mcpActions(s)].every((a) => a.kind === 'ok' || 'nonce' in a)).toBe(true);
      expect(s.plan.every((step) => step.length === 1)).toBe(true);
    }
  });

  it('without redirects: no redirect anywhere, while the other dimensions still vary', () => {
    const all = sample();
    const schedules = sample(undefined, ['redirects']);
    expect(all.some(hasRedirect)).toBe(true);
    expect(schedules.some(hasRedirect)).toBe(false);
    expect(schedules.filter(hasNonceEvent).length).toBeGreaterThan(100);
    expect(schedules.filter(hasError).length).toBeGreaterThan(20);
    expect(schedules.some((s) => s.plan.some((step) => step.length > 1))).toBe(true);
  });

  it.each(SCHEDULE_DIMENSIONS.map((d) => [d]))('without %s: still valid schedules', (dimension) => {
    for (const s of sample(undefined, [dimension]).slice(0, 100)) expect(parseSchedule(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('no dimension at all: the base schedule with single calls', () => {
    for (const s of sample([])) {
      expect({ ...s, plan: BASE_SCHEDULE.plan }).toEqual(BASE_SCHEDULE);
      expect(s.plan.every((step) => step.length === 1)).toBe(true);
    }
  });

  it('generates exactly as before when no dimension is narrowed', () => {
    // The default arbitrary and the one given every dimension draw the same schedules for a seed.
    const a = fc.sample(scheduleArbitrary(), { seed: 7, numRuns: 200 });
    const b = fc.sample(scheduleArbitrary({ only: [...SCHEDULE_DIMENSIONS] }), { seed: 7, numRuns: 200 });
    expect(b).toEqual(a);
  });

  it('keeps shrinking intact on a narrowed arbitrary', () => {
    const details = fc.check(
      fc.property(scheduleArbitrary({ only: ['nonces'] }), (s) => !s.mcp.post.some((a) => a.kind === 'use-dpop-nonce')),
      { seed: 11, numRuns: 1000 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample?.[0]).toEqual({ ...BASE_SCHEDULE, plan: [['tools/list']], mcp: { ...BASE_SCHEDULE.mcp, post: [{ kind: 'use-dpop-nonce', nonce: 'a|0' }] } });
  });

  it('refuses unknown dimensions and both fields at once', () => {
    expect(() => scheduleArbitrary({ only: ['nonce' as ScheduleDimension] })).toThrow(/unknown schedule dimension "nonce"; known: nonces, errors/);
    expect(() => scheduleArbitrary({ only: ['nonces'], without: ['redirects'] })).toThrow(/not both/);
  });
});
