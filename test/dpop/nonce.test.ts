import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNonceValue, NonceBook } from '../../src/dpop/nonce.ts';

describe('isNonceValue (RFC 9449 §8.1 nonce = 1*NQCHAR)', () => {
  it.each(['!', '#', ',', ';', '=', "'", '~', '[', ']', 'eyJ7S_zG.eyJH0-Z.HX4w-7v', 'a,b;c=d', '{}|:/?@'])(
    'accepts %s',
    (value) => {
      expect(isNonceValue(value)).toBe(true);
    },
  );

  it.each([
    ['empty string', ''],
    ['space', 'a b'],
    ['double quote', 'a"b'],
    ['backslash', 'a\\b'],
    ['non-ASCII', 'café'],
    ['tab', 'a\tb'],
    ['DEL', 'a\x7Fb'],
    ['line feed', 'a\nb'],
  ])('rejects %s', (_why, value) => {
    expect(isNonceValue(value)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isNonceValue(42 as unknown as string)).toBe(false);
    expect(isNonceValue(null as unknown as string)).toBe(false);
  });

  it('agrees with the ABNF character ranges on arbitrary strings', () => {
    const nqchar = (code: number): boolean => code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e);
    // Mostly ASCII (where the ranges are), with a few non-ASCII characters.
    const unit = fc.oneof(
      { arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }), weight: 9 },
      { arbitrary: fc.constantFrom('é', '€', '\u{1F600}'), weight: 1 },
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (value) => {
        const expected = value.length > 0 && [...value].every((c) => nqchar(c.codePointAt(0) ?? -1));
        expect(isNonceValue(value)).toBe(expected);
      }),
      { seed: 81, numRuns: 300 },
    );
  });
});

describe('NonceBook (RFC 9449 §8, §8.2, §11.3)', () => {
  it('accepts everything, including no nonce, before any nonce exists', () => {
    const book = new NonceBook(null);
    expect(book.current).toBeNull();
    expect(book.history).toEqual([]);
    expect(book.accepts(undefined)).toBe(true);
    expect(book.accepts('anything')).toBe(true);
    expect(book.accepts(42)).toBe(true);
    expect(book.wasIssued('anything')).toBe(false);
  });

  it('starts with an initial nonce as the current one', () => {
    const book = new NonceBook('n0');
    expect(book.current).toBe('n0');
    expect(book.history).toEqual(['n0']);
    expect(book.accepts('n0')).toBe(true);
    expect(book.accepts(undefined)).toBe(false);
    expect(book.wasIssued('n0')).toBe(true);
  });

  it('accepts only the newest nonce once one was issued', () => {
    const book = new NonceBook(null);
    book.issue('n1');
    expect(book.current).toBe('n1');
    expect(book.accepts(undefined)).toBe(false);
    expect(book.accepts(null)).toBe(false);
    expect(book.accepts('')).toBe(false);
    expect(book.accepts('n1')).toBe(true);
    book.issue('n2');
    expect(book.current).toBe('n2');
    expect(book.accepts('n1')).toBe(false);
    expect(book.accepts('n2')).toBe(true);
    expect(book.accepts('N2')).toBe(false);
    expect(book.wasIssued('n1')).toBe(true);
    expect(book.wasIssued('n2')).toBe(true);
    expect(book.wasIssued('n3')).toBe(false);
  });

  it('treats a missing initial nonce as none', () => {
    const book = new NonceBook(undefined as unknown as null);
    expect(book.current).toBeNull();
    expect(book.accepts('x')).toBe(true);
  });

  it('records every issue in order, repeats included', () => {
    const book = new NonceBook('a');
    book.issue('b');
    book.issue('a');
    expect(book.history).toEqual(['a', 'b', 'a']);
    expect(book.current).toBe('a');
  });

  it('does not let callers rewrite its history', () => {
    const book = new NonceBook('a');
    (book.history as string[]).push('forged');
    expect(book.history).toEqual(['a']);
    expect(book.wasIssued('forged')).toBe(false);
  });
});
