/**
 * Whether a value a client sent is a careless copy of one a server gave it:
 * a piece of it (cut at a comma, a "+", a "="), it plus something, or a
 * quoted, escaped or percent-encoded form of it. Tells a client that mangled
 * a nonce or token (a bug) from one that sent a value from elsewhere, such as
 * an earlier run (not this run's business).
 */
export function derivedFrom(sent: string, issued: string): boolean {
  // An empty value is part of every string, and a copy of none.
  if (sent === '' || sent === issued) return false;
  return issued.includes(sent) || sent.includes(issued) || decorations(issued).includes(sent);
}

/** Quoted, escaped, percent-encoded, form-decoded, base64url-converted and case-folded forms of a value. */
function decorations(value: string): string[] {
  const forms = [
    `"${value}"`,
    value.replace(/[\\"]/g, '\\$&'),
    encodeURIComponent(value),
    value.trim(),
    value.replace(/\+/g, ' '),
    value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    value.toLowerCase(),
    value.toUpperCase(),
  ];
  try {
    forms.push(decodeURIComponent(value));
  } catch {
    // Not percent-encoded text: nothing to add.
  }
  return forms;
}
