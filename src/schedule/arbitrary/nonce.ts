import fc from 'fast-check';

/** Separator between a generated nonce body and the index that makes it unique. */
export const NONCE_INDEX_SEPARATOR = '|';

/** RFC 9449 §8.1 NQCHAR = %x21 / %x23-5B / %x5D-7E, without the index separator; "a" first so bodies shrink to "a". */
const NQCHAR_BODY: readonly string[] = (() => {
  const chars: string[] = ['a'];
  for (let c = 0x21; c <= 0x7e; c++) {
    const ch = String.fromCharCode(c);
    if (ch === '"' || ch === '\\' || ch === NONCE_INDEX_SEPARATOR || ch === 'a') continue;
    chars.push(ch);
  }
  return chars;
})();

/**
 * The part of a nonce the fuzzer chooses: usually short, sometimes long,
 * over the whole NQCHAR alphabet (commas, quotes, `=` and `;` included) —
 * characters a naive header parser cuts or unquotes.
 */
export function nonceBody(): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...NQCHAR_BODY);
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 9, arbitrary: fc.string({ unit, minLength: 1, maxLength: 16 }) },
    { weight: 1, arbitrary: fc.string({ unit, minLength: 64, maxLength: 300 }) },
  );
}

/**
 * `${body}|${index}`: distinct for distinct indexes because bodies never
 * contain `|` (the judges tell nonces apart by value).
 */
export function numberedNonce(body: string, index: number): string {
  return `${body}${NONCE_INDEX_SEPARATOR}${index}`;
}

/**
 * Prefix for a server's endless stream of nonces (`then: use-dpop-nonce`).
 * Named nonces are `body|digits`, so `body|A` / `body|M` is never a prefix of
 * one of them, nor of each other.
 */
export function endlessPrefix(body: string, server: 'as' | 'mcp'): string {
  return `${body}${NONCE_INDEX_SEPARATOR}${server === 'as' ? 'A' : 'M'}`;
}
