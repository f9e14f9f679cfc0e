/**
 * The Stryker process of a mutation run: `node --import tsx stryker-main.ts
 * <options.json>`, started by `dpop-fuzz mutate` in its work directory
 * (Stryker works relative to the current directory). Exit 0 when Stryker
 * finished, 2 when it could not run.
 */
import { readFile } from 'node:fs/promises';
import { Stryker } from '@stryker-mutator/core';
import type { PartialStrykerOptions } from '@stryker-mutator/api/core';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: stryker-main.ts <options.json>\n');
  process.exit(2);
}
try {
  const options = JSON.parse(await readFile(file, 'utf8')) as PartialStrykerOptions;
  await new Stryker(options).runMutationTest();
  process.exitCode = 0;
} catch (error) {
  process.stderr.write(`stryker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
