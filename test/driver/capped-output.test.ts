import { describe, expect, it } from 'vitest';
import { CappedOutput } from '../../src/driver/capped-output.ts';

describe('CappedOutput', () => {
  it('keeps everything under the cap, unmarked', () => {
    const out = new CappedOutput(10);
    out.push('abc');
    out.push(Buffer.from('defghij'));
    expect(out.truncated).toBe(false);
    expect(out.text()).toBe('abcdefghij');
  });

  it('keeps the start and counts what was dropped', () => {
    const out = new CappedOutput(4);
    out.push('abc');
    out.push('defg');
    out.push('hij');
    expect(out.truncated).toBe(true);
    expect(out.text()).toBe('abcd\n[output truncated: 6 more bytes not shown]');
  });

  it('does not cut a UTF-8 character in half', () => {
    const out = new CappedOutput(4);
    out.push('ab€c'); // '€' is 3 bytes: a b E2 82 | AC c — the cap falls inside it
    expect(out.text()).toBe('ab\n[output truncated: 4 more bytes not shown]');
  });

  it('keeps a character that ends exactly at the cap', () => {
    const out = new CappedOutput(5);
    out.push('ab€c');
    out.push('');
    expect(out.text()).toBe('ab€\n[output truncated: 1 more bytes not shown]');
  });
});
