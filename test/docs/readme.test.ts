import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { catalogueMarkdown } from '../../src/cli/catalogue-markdown.ts';
import { CHECK_HELP } from '../../src/cli/help/check.ts';
import { MUTATE_HELP } from '../../src/cli/help/mutate.ts';
import { REPLAY_HELP } from '../../src/cli/help/replay.ts';
import { RUN_HELP } from '../../src/cli/help/run.ts';
import { PRESETS } from '../../src/schedule/presets.ts';
import { FAULT_NAMES } from '../../src/clients/faults.ts';

/** The README is part of the interface: it must say what the code does. */
describe('README', async () => {
  const readme = await readFile('README.md', 'utf8');

  it('holds the check catalogue exactly as `dpop-fuzz list --markdown` prints it', () => {
    const section = /<!-- catalogue:start[^>]*-->\n([\s\S]*?)\n<!-- catalogue:end -->/.exec(readme)?.[1];
    expect(section).toBe(catalogueMarkdown());
  });

  it('shows the two set-up commands', () => {
    expect(readme).toContain('npm install && npm run fuzz');
    expect(readme).toContain('npm test');
  });

  it.each([
    ['check', CHECK_HELP],
    ['run', RUN_HELP],
    ['replay', REPLAY_HELP],
    ['mutate', MUTATE_HELP],
  ])('documents every option of `dpop-fuzz %s` as --help prints it', (_name, help) => {
    const options = help.slice(help.indexOf('Client ('), help.indexOf('Exit status:')).trim();
    expect(readme).toContain(options);
  });

  it.each(['test/dpop.test.ts', 'test/nonces.test.ts'])('shows examples/vitest-project/%s as it is (the pack-and-install test runs it)', async (file) => {
    const text = await readFile(`examples/vitest-project/${file}`, 'utf8');
    expect(readme).toContain(`// ${file}\n${text.trimEnd()}\n\`\`\``);
  });

  it('names every preset and every broken client', () => {
    for (const name of Object.keys(PRESETS)) expect(readme).toContain(`\`${name}\``);
    for (const fault of FAULT_NAMES) expect(readme).toContain(`\`${fault}\``);
  });
});
