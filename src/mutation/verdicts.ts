/**
 * A maintainer's verdicts on surviving mutants, kept next to the target
 * (YAML): which survivors are equivalent to the original, which show a gap
 * in the oracle and which SDK behaviour no schedule exercises. Keyed by
 * `mutantKey` (file:line:column mutator replacement), stable for one package
 * version.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { MutationError } from './errors.ts';

export const VERDICTS = ['equivalent', 'property-gap', 'untested'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface SurvivorVerdict {
  readonly verdict: Verdict;
  readonly reason: string;
}

const schema = z.array(z.strictObject({ mutant: z.string().min(1), verdict: z.enum(VERDICTS), reason: z.string().min(1).max(500) }));

export async function loadVerdicts(file: string): Promise<Map<string, SurvivorVerdict>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MutationError(`cannot read verdicts file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = parse(text) ?? [];
  } catch (error) {
    throw new MutationError(`verdicts file ${file} is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new MutationError(`verdicts file ${file}: ${z.prettifyError(result.error).replace(/\n/g, ' ')}`);
  const verdicts = new Map<string, SurvivorVerdict>();
  for (const { mutant, verdict, reason } of result.data) {
    if (verdicts.has(mutant)) throw new MutationError(`verdicts file ${file}: ${mutant} is listed twice`);
    verdicts.set(mutant, { verdict, reason });
  }
  return verdicts;
}
