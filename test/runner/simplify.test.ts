import { describe, expect, it } from 'vitest';
import type { RunOnceResult } from '../../src/runner/run-once.ts';
import { simplify } from '../../src/runner/simplify.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import type { Schedule } from '../../src/schedule/types.ts';

/** Stands in for a client run: only what `simplify` passes along. */
const RESULT = {} as RunOnceResult;

describe('simplify (the last step of shrinking)', () => {
  const start = scheduleWith({ as: { algs: ['ES256', 'PS256'], tokenType: 'dpop', refreshTokens: false }, mcp: { challenge: 'Bearer', boundTokensRequired: null }, responseDelays: [2] });

  it('puts back every setting the failure does not need and keeps the ones it does', async () => {
    const tried: Schedule[] = [];
    const stillFails = async (s: Schedule) => {
      tried.push(s);
      return s.as.tokenType === 'dpop' && s.mcp.challenge === 'Bearer' ? RESULT : null;
    };
    const out = await simplify({ schedule: start, result: RESULT }, stillFails, 100);
    // The plan's second step is not needed either.
    expect(out.schedule).toEqual(scheduleWith({ as: { tokenType: 'dpop' }, mcp: { challenge: 'Bearer', boundTokensRequired: null }, plan: [['tools/list']] }));
    expect(out.runs).toBe(tried.length);
    // Bound tokens required with Bearer-only challenges is no valid schedule: never tried.
    expect(tried.some((s) => s.mcp.challenge === 'Bearer' && s.mcp.boundTokensRequired === true)).toBe(false);
  });

  it('leaves out the scheduled answers and planned calls the failure does not need (a corpus schedule has no fast-check history)', async () => {
    const corpus = scheduleWith({
      as: { tokenRequests: [{ kind: 'use-dpop-nonce', nonce: 'a1' }, { kind: 'use-dpop-nonce', nonce: 'a2' }] },
      mcp: { post: [{ kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'm1' }, { kind: 'ok' }], get: [{ kind: 'use-dpop-nonce', nonce: 'g1' }] },
      plan: [['tools/list', 'ping'], ['tools/call']],
    });
    // Fails whenever some POST is challenged for a nonce.
    const stillFails = async (s: Schedule) => (s.mcp.post.some((a) => a.kind === 'use-dpop-nonce') ? RESULT : null);
    const out = await simplify({ schedule: corpus, result: RESULT }, stillFails, 100);
    expect(out.schedule).toEqual(scheduleWith({ mcp: { post: [{ kind: 'use-dpop-nonce', nonce: 'm1' }] }, plan: [['tools/list']] }));
  });

  it('keeps the counterexample as it is when nothing can go, and stays within its budget', async () => {
    const never = async () => null;
    const kept = await simplify({ schedule: start, result: RESULT }, never, 100);
    expect(kept.schedule).toBe(start);
    const limited = await simplify({ schedule: start, result: RESULT }, async () => RESULT, 2);
    expect(limited.runs).toBe(2);
  });
});
