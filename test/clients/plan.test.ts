import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN, planFromContext } from '../../src/clients/plan.ts';

describe('planFromContext', () => {
  it('reads steps from a context object or its JSON text', () => {
    const context = { name: 'auth/dpop-fuzz', steps: [['tools/list'], ['tools/call', 'tools/call'], ['ping']] };
    expect(planFromContext(context)).toEqual(context.steps);
    expect(planFromContext(JSON.stringify(context))).toEqual(context.steps);
  });

  it('defaults to tools/list then tools/call', () => {
    expect(DEFAULT_PLAN).toEqual([['tools/list'], ['tools/call']]);
    expect(planFromContext(undefined)).toBe(DEFAULT_PLAN);
    expect(planFromContext(null)).toBe(DEFAULT_PLAN);
    expect(planFromContext({ name: 'auth/dpop', client_id: 'x' })).toBe(DEFAULT_PLAN);
  });

  it('accepts every plan method and empty steps', () => {
    const steps = [['tools/list', 'tools/call', 'ping', 'resources/list', 'prompts/list'], []];
    expect(planFromContext({ steps })).toEqual(steps);
    expect(planFromContext({ steps: [] })).toEqual([]);
  });

  it('rejects malformed contexts with a message naming the problem', () => {
    expect(() => planFromContext('{not json')).toThrow(/not valid JSON/);
    expect(() => planFromContext([1])).toThrow(/not a JSON object/);
    expect(() => planFromContext({ steps: 'tools/list' })).toThrow(/steps is not an array/);
    expect(() => planFromContext({ steps: ['tools/list'] })).toThrow(/steps\[0\] is not an array/);
    expect(() => planFromContext({ steps: [['tools/list'], ['resources/read']] })).toThrow(/steps\[1\]\[0\] is "resources\/read"/);
  });
});
