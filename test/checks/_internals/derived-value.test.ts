/**
 * derivedFrom tells a nonce or token a client mangled (a bug the nonce and
 * token checks report: RFC 9449 §8.2 and §9 ask for the value byte for byte)
 * from a value that came from somewhere else, such as an earlier run. Each
 * decoration is pinned on a value that only that decoration turns into the
 * sent text, so dropping or changing any one of them shows here.
 */
import { describe, expect, it } from 'vitest';
import { derivedFrom } from '../../../src/checks/_internals/derived-value.ts';

describe('derivedFrom: a careless copy of an issued value', () => {
  it('an identical value is no derivation (it is the value itself)', () => {
    expect(derivedFrom('N-1', 'N-1')).toBe(false);
    expect(derivedFrom('', '')).toBe(false);
  });

  it('an empty value is a copy of nothing, though every string contains it', () => {
    expect(derivedFrom('', 'N-1')).toBe(false);
  });

  it('an unrelated value is no derivation', () => {
    expect(derivedFrom('from-an-earlier-run', 'N-1')).toBe(false);
    expect(derivedFrom('abc', 'xyz')).toBe(false);
  });

  it('a piece of the issued value is derived (cut at a comma, a "+", a "=")', () => {
    expect(derivedFrom('abc', 'abc,def')).toBe(true);
    expect(derivedFrom('def', 'abc+def')).toBe(true);
    expect(derivedFrom('nonce', 'nonce==')).toBe(true);
  });

  it('the issued value plus something is derived', () => {
    expect(derivedFrom('abc,def', 'abc')).toBe(true);
    expect(derivedFrom('xabcx', 'abc')).toBe(true);
  });

  it('the issued value in double quotes is derived', () => {
    expect(derivedFrom('"abc"', 'abc')).toBe(true);
  });

  it('the issued value with its quotes and backslashes escaped is derived', () => {
    expect(derivedFrom('a\\"b', 'a"b')).toBe(true);
    expect(derivedFrom('say \\"hi\\"', 'say "hi"')).toBe(true);
    expect(derivedFrom('a\\\\b', 'a\\b')).toBe(true);
    // Escaping other characters is not one of the forms.
    expect(derivedFrom('\\a"\\b', 'a"b')).toBe(false);
  });

  it('the issued value percent-encoded is derived', () => {
    expect(derivedFrom('a%20b%2Fc', 'a b/c')).toBe(true);
  });

  it('the issued value trimmed is derived', () => {
    expect(derivedFrom('abc', ' abc\t')).toBe(true);
  });

  it('the issued value form-decoded ("+" read as a space) is derived', () => {
    expect(derivedFrom('a b', 'a+b')).toBe(true);
    expect(derivedFrom('ab', 'a+b')).toBe(false);
  });

  it('the issued value converted from base64 to base64url is derived: "+" to "-", "/" to "_", trailing "=" padding dropped', () => {
    expect(derivedFrom('ab-c_d', 'ab+c/d==')).toBe(true);
    // Only the padding at the end goes; an "=" inside stays.
    expect(derivedFrom('k=v-w', 'k=v+w==')).toBe(true);
    expect(derivedFrom('kv-w==', 'k=v+w==')).toBe(false);
    // Every "=" of the padding goes, not just the last.
    expect(derivedFrom('ab-c_d=', 'ab+c/d==')).toBe(false);
    // Half a conversion is not the form.
    expect(derivedFrom('abc_d', 'ab+c/d==')).toBe(false);
    expect(derivedFrom('ab-cd', 'ab+c/d==')).toBe(false);
  });

  it('the issued value lower-cased or upper-cased is derived', () => {
    expect(derivedFrom('nonce', 'NoNcE')).toBe(true);
    expect(derivedFrom('NONCE', 'NoNcE')).toBe(true);
    expect(derivedFrom('nOnCe', 'NoNcE')).toBe(false);
  });

  it('the issued value percent-decoded is derived', () => {
    expect(derivedFrom('n+x', 'n%2Bx')).toBe(true);
  });

  it('an issued value that is no valid percent-encoding is still compared in its other forms, without throwing', () => {
    expect(derivedFrom('N%E0%A4%A', 'n%E0%A4%A')).toBe(true);
    expect(derivedFrom('unrelated', 'n%E0%A4%A')).toBe(false);
  });
});
