import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleArbitrary } from '../src/schedule/arbitraries.ts';
import { scheduleLabels } from '../src/schedule/classify.ts';
import { scheduleEvents } from '../src/schedule/complexity.ts';
import { BASE_SCHEDULE } from '../src/schedule/defaults.ts';
import type { Schedule } from '../src/schedule/types.ts';
import { parseSchedule } from '../src/schedule/validate.ts';

/** Every generated schedule is one the servers accept, as plain JSON. */
describe('scheduleArbitrary', () => {
  test.prop([scheduleArbitrary()], { numRuns: 300, seed: 1932 })('generates valid, JSON-stable schedules', (schedule) => {
    const json = JSON.parse(JSON.stringify(schedule)) as unknown;
    expect(parseSchedule(json)).toEqual(schedule);
  });

  test.prop([scheduleArbitrary()], { numRuns: 300, seed: 9449 })('classifies every schedule on every dimension', (schedule) => {
    const labels = scheduleLabels(schedule);
    expect(Object.keys(labels)).toEqual(Object.keys(scheduleLabels(BASE_SCHEDULE)));
    expect(Object.values(labels).every((l) => l.length > 0)).toBe(true);
  });

  it('shrinks to the simplest schedule: the defaults and a single call', () => {
    // A property that fails for every schedule: what is left after shrinking is the floor.
    const details = fc.check(fc.property(scheduleArbitrary(), (_s: Schedule) => false), { seed: 7, numRuns: 1 });
    const minimal = details.counterexample?.[0];
    expect(minimal).toEqual({ ...BASE_SCHEDULE, plan: [['tools/list']] });
    expect(scheduleEvents(minimal!)).toBe(0);
  });

  it('shrinks a schedule to the one event a property needs', () => {
    // Fails only when the MCP server challenges a POST: shrinking keeps exactly that.
    const details = fc.check(
      fc.property(scheduleArbitrary(), (s) => !s.mcp.post.some((a) => a.kind === 'use-dpop-nonce')),
      { seed: 11, numRuns: 1000 },
    );
    const minimal = details.counterexample?.[0];
    expect(minimal?.mcp.post).toEqual([{ kind: 'use-dpop-nonce', nonce: 'a|0' }]);
    expect(scheduleEvents(minimal!)).toBe(1);
  });

  it('reaches every generated dimension in a few hundred samples', () => {
    const seen = new Map<string, Set<string>>();
    for (const s of fc.sample(scheduleArbitrary(), { numRuns: 500, seed: 42 })) {
      for (const [dim, label] of Object.entries(scheduleLabels(s))) {
        if (!seen.has(dim)) seen.set(dim, new Set());
        seen.get(dim)!.add(label);
      }
    }
    // Every dimension varies: none is stuck at its default.
    const stuck = [...seen].filter(([, labels]) => labels.size < 2).map(([dim]) => dim);
    expect(stuck).toEqual([]);
  });
});
