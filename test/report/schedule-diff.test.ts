import { describe, expect, it } from 'vitest';
import { BASE_SCHEDULE, DEFAULT_CHALLENGE_FORMAT, scheduleWith } from '../../src/schedule/defaults.ts';
import { scheduleDiff } from '../../src/report/schedule-diff.ts';

describe('scheduleDiff', () => {
  it('is empty for the default schedule and for an equal copy', () => {
    expect(scheduleDiff(BASE_SCHEDULE)).toEqual({});
    expect(scheduleDiff(structuredClone(BASE_SCHEDULE))).toEqual({});
  });

  it('keeps only the changed fields of nested objects', () => {
    const schedule = scheduleWith({ mcp: { challengeFormat: { ...DEFAULT_CHALLENGE_FORMAT, spaced: true }, initialNonce: 'rs;0' }, as: { tokenType: 'dpop' } });
    expect(scheduleDiff(schedule)).toEqual({ as: { tokenType: 'dpop' }, mcp: { initialNonce: 'rs;0', challengeFormat: { spaced: true } } });
  });

  it('shows a changed list whole, and an unchanged one not at all', () => {
    const plan = [['tools/list'], ['tools/call'], ['ping']] as const;
    const schedule = scheduleWith({ plan: plan.map((s) => [...s]), mcp: { post: [{ kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'n1' }] }, as: { algs: ['ES256'] } });
    expect(scheduleDiff(schedule)).toEqual({ plan: [['tools/list'], ['tools/call'], ['ping']], mcp: { post: [{ kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'n1' }] } });
  });

  it('shows a tagged union whole even when only one of its fields changed', () => {
    const base = scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'tok', padding: 1 } } });
    const schedule = scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'tok', padding: 2 } }, mcp: { then: { kind: 'use-dpop-nonce', noncePrefix: 'p' } } });
    expect(scheduleDiff(schedule, base)).toEqual({ as: { accessTokens: { kind: 'opaque', stem: 'tok', padding: 2 } }, mcp: { then: { kind: 'use-dpop-nonce', noncePrefix: 'p' } } });
  });

  it('compares against the given base', () => {
    const base = scheduleWith({ topology: 'same-origin' });
    expect(scheduleDiff(BASE_SCHEDULE, base)).toEqual({ topology: 'separate-origins' });
    expect(scheduleDiff(base)).toEqual({ topology: 'same-origin' });
  });
});
