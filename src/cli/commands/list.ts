import { CHECKS } from '../../checks/registry.ts';
import { catalogueMarkdown } from '../catalogue-markdown.ts';
import { parseFlags } from '../parse-flags.ts';


export function listCommand(args: readonly string[]): number {
  const flags = parseFlags('list', args, { json: { type: 'boolean' }, markdown: { type: 'boolean' } });
  if (flags.markdown) {
    process.stdout.write(`${catalogueMarkdown()}\n`);
    return 0;
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(CHECKS, null, 2)}\n`);
    return 0;
  }
  const blocks = CHECKS.map((c) =>
    [
      `${c.id}  [${c.level}]`,
      `  What: ${c.description}`,
      `  Why:  ${c.why}`,
      `  Fix:  ${c.fix}`,
      `  Refs: ${c.specReferences.map((r) => r.id).join(', ')}`,
    ].join('\n'),
  );
  process.stdout.write(`${blocks.join('\n\n')}\n`);
  return 0;
}
