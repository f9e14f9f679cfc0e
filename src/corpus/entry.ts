import { z } from 'zod';
import type { Schedule } from '../schedule/types.ts';
import { parseSchedule } from '../schedule/validate.ts';

/** File format tag of a corpus entry; bumped only on incompatible changes. */
export const CORPUS_FORMAT = 'mcp-dpop-fuzz/corpus@1';

/**
 * One corpus file: a schedule worth running again. Counterexamples record
 * which client broke which checks under it (`expect: 'fail'`); hand-picked
 * schedules every client must survive say `expect: 'pass'`.
 */
export interface CorpusEntry {
  readonly format: typeof CORPUS_FORMAT;
  /** What the entry is about, one line. */
  readonly title: string;
  /** The client it was recorded against: a command, a module path, or `broken-client <fault>`; `any` for hand-picked entries. */
  readonly client: string;
  /** `fail`: that client fails `checks` under it. `pass`: a conformant client passes every check. */
  readonly expect: 'fail' | 'pass';
  /** Check IDs the client failed (empty for `pass` entries). */
  readonly checks: readonly string[];
  /** ISO date the entry was written. */
  readonly recorded: string;
  readonly schedule: Schedule;
}

/**
 * The entry of a confirmed counterexample: the client named `clientName`
 * (recorded as `client`) fails `checkIds` under `schedule`.
 */
export function counterexampleEntry(clientName: string, client: string, failure: { readonly checkIds: readonly string[]; readonly schedule: Schedule }): CorpusEntry {
  return {
    format: CORPUS_FORMAT,
    title: `${clientName} fails ${failure.checkIds.join(', ')}`,
    client,
    expect: 'fail',
    checks: failure.checkIds,
    recorded: new Date().toISOString(),
    schedule: failure.schedule,
  };
}

const entrySchema = z.strictObject({
  format: z.literal(CORPUS_FORMAT),
  title: z.string().min(1).max(300),
  client: z.string().min(1).max(2000),
  expect: z.enum(['fail', 'pass']),
  checks: z.array(z.string().min(1).max(100)).max(50),
  recorded: z.string().max(40),
  schedule: z.unknown(),
});

/** A corpus file that cannot be used; the message names the file. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
}

/** Validates the JSON of one corpus file (`file` is only used in messages). */
export function parseCorpusEntry(json: unknown, file: string): CorpusEntry {
  const result = entrySchema.safeParse(json);
  if (!result.success) throw new CorpusError(`corpus file ${file} is not a corpus entry:\n${z.prettifyError(result.error)}`);
  if (result.data.expect === 'fail' && result.data.checks.length === 0) throw new CorpusError(`corpus file ${file}: an entry that expects a failure must name the checks`);
  let schedule: Schedule;
  try {
    schedule = parseSchedule(result.data.schedule);
  } catch (err) {
    throw new CorpusError(`corpus file ${file}: ${(err as Error).message}`);
  }
  return { ...result.data, format: CORPUS_FORMAT, schedule };
}
