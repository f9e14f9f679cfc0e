import { CHECKS } from '../checks/registry.ts';

/** The check catalogue as Markdown: the README's catalogue section is exactly this text. */
export function catalogueMarkdown(): string {
  return CHECKS.map((c) =>
    [
      `#### \`${c.id}\` — ${c.level}`,
      '',
      `- **What:** ${c.description}`,
      `- **Why:** ${c.why}`,
      `- **Fix:** ${c.fix}`,
      `- **References:** ${c.specReferences.map((r) => `[${r.id}](${r.url})`).join(', ')}`,
    ].join('\n'),
  ).join('\n\n');
}
