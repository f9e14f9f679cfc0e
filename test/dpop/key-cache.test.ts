import { describe, expect, it } from 'vitest';
import { KeyMemo } from '../../src/dpop/key-cache.ts';

describe('KeyMemo', () => {
  it('computes once per key and evicts the oldest entry when full', () => {
    const memo = new KeyMemo<number>(2);
    let calls = 0;
    const compute = (v: number) => () => {
      calls++;
      return v;
    };
    expect(memo.get('a', compute(1))).toBe(1);
    expect(memo.get('a', compute(99))).toBe(1);
    expect(calls).toBe(1);
    memo.get('b', compute(2));
    memo.get('c', compute(3));
    // 'a' was the oldest: computed again.
    expect(memo.get('a', compute(4))).toBe(4);
    expect(memo.get('c', compute(5))).toBe(3);
    expect(calls).toBe(4);
  });
});
