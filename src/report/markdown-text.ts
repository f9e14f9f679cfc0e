/**
 * Markdown building blocks that keep client-controlled text (nonces, header
 * values, stderr: RFC 9449 §8.1 allows almost any printable character in a
 * nonce) from turning into markup.
 */

/** Escapes text for Markdown prose or a table cell: one line, no markup, no raw HTML. */
export function markdownText(raw: string): string {
  return raw
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#$]/g, (c) => `\\${c}`);
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/** An inline code span that survives backticks inside `raw` (CommonMark §6.1). */
export function inlineCode(raw: string): string {
  const text = raw.replace(/\r\n|[\r\n]/g, ' ');
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  const pad = /^[ `]|[ `]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced code block whose fence is longer than any backtick run in `body` (CommonMark §4.5). */
export function fencedBlock(language: string, body: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** A collapsed `<details>` block; the blank lines let Markdown inside it render. */
export function details(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** `1 bug`, `2 bugs`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
