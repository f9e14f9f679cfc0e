import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/color.ts';

describe('useColor: colour only on a terminal, and not when NO_COLOR is set (no-color.org)', () => {
  it('colours a terminal when NO_COLOR is absent or empty', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('does not colour a terminal when NO_COLOR has any value', () => {
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: 'false' })).toBe(false);
  });

  it('never colours a pipe or a file', () => {
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });
});
