import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteShellArg } from '../../src/driver/shell-quote.ts';

const NASTY = [
  '',
  'plain',
  'two words',
  "it's",
  "''",
  '"double"',
  '$(exit 9)',
  '`id`',
  'a;b&c|d',
  'back\\slash',
  'new\nline',
  '*?[x]~',
  "http://127.0.0.1:5/mcp?x=1&y='2'#f",
];

describe('quoteShellArg', () => {
  it.each(NASTY)('reaches the command as exactly one argument: %j', (value) => {
    const printed = execFileSync('/bin/sh', ['-c', `printf '%s|' ${quoteShellArg(value)}`], { encoding: 'utf8' });
    expect(printed).toBe(`${value}|`);
  });
});
