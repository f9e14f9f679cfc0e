/**
 * RFC 6750 §3 and RFC 6749 Appendix A.2: `error_description` may only use
 * %x20-21 / %x23-5B / %x5D-7E. Descriptions quote what the client sent, so
 * anything else (quotes, backslashes, control and non-ASCII characters) is
 * replaced; the exact values stay in the trace.
 */
export function safeDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "'").slice(0, 300);
}
