/**
 * Text that is safe inside a Mermaid sequence-diagram label (after the `:` of
 * a message or note). Mermaid ends a statement at `;`, `#` and a newline and
 * interprets `<…>` as HTML, `%%` as a comment and `"` as a delimiter, while
 * nonces may use every printable ASCII character except space, `"` and `\`
 * (RFC 9449 §8.1 NQCHAR). Anything outside a small set of inert characters is
 * therefore written as a Mermaid entity code `#<decimal code point>;`, which
 * Mermaid turns back into the character when it draws the label.
 */

/** Characters that mean nothing to Mermaid's sequence-diagram grammar inside a label. */
const INERT = /^[A-Za-z0-9 ._\-/=+?!@$*()[\]',:~|^]$/u;

/** A Mermaid label fragment: escaped, single-line. Branded so raw data cannot slip into a label. */
export type MermaidText = string & { readonly __mermaidText: true };

/** Escapes `raw` for a Mermaid label, every risky character as `#code;` (RFC 9449 §8.1 NQCHAR nonces included). */
export function mermaidText(raw: string): MermaidText {
  let out = '';
  for (const ch of raw) out += INERT.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out as MermaidText;
}

/** Escapes `raw` cut to `max` code points, with `…` when something was cut, so an entity code is never split (long RFC 9449 §8 nonces). */
export function mermaidShort(raw: string, max: number): MermaidText {
  const chars = [...raw];
  if (chars.length <= max) return mermaidText(raw);
  return `${mermaidText(chars.slice(0, max).join(''))}…` as MermaidText;
}

/** Joins already-escaped fragments (see `mermaidText`, RFC 9449 §8.1); the separator is inert in Mermaid labels. */
export function joinLabel(parts: readonly MermaidText[]): MermaidText {
  return parts.filter((p) => p !== '').join(' · ') as MermaidText;
}

