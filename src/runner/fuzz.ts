import fc from 'fast-check';
import type { FuzzReport } from '../report/types.ts';
import { scheduleArbitrary } from '../schedule/arbitraries.ts';
import type { FuzzOptions } from './fuzz-options.ts';
import { FuzzSession } from './fuzz-session.ts';
import { search } from './search.ts';
import { searchesOf } from './split-runs.ts';

export { DEFAULT_CONFIRMATIONS, DEFAULT_MAX_SHRINK_RUNS, DEFAULT_MODULE_WORKERS, DEFAULT_RUNS, MAX_SEED } from './fuzz-options.ts';
export type { FoundCounterexample, FuzzOptions, FuzzProgress } from './fuzz-options.ts';

/**
 * The search loop: for all generated schedules, the client's run fails no
 * checked MUST check. Runs `workers` fast-check searches side by side (this
 * shard's, with `shard`), each in `search.ts`, sharing one `FuzzSession`. A
 * run that fails a check no known bug explains is shrunk (towards the fewest
 * events and default values, keeping one of those checks and adding none),
 * replayed to tell bugs from flakes, and reported through the callbacks the
 * moment it is known; then that search goes on exploring. Runs that show only
 * known bugs are counted as their hits (see `BugBook`). Exploration ends
 * after `runs`, the time limit, `maxBugs` distinct failures or Ctrl-C.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const shares = searchesOf(options);
  // A shard is asked for its searches' share of the runs; the shards' requests add up to `runs`.
  const session = new FuzzSession(
    options,
    shares.reduce((n, share) => n + share.runs, 0),
    options.shard,
  );
  const arbitrary = options.arbitrary ?? scheduleArbitrary(options.constraints);
  // fast-check's scheduler reaches into the servers' handlers of an in-process
  // run; a client in another process gets the schedule's response delays only.
  const orderings: fc.Arbitrary<fc.Scheduler | null> = options.target.kind === 'command' ? fc.constant(null) : fc.scheduler().map((s): fc.Scheduler | null => s);
  const onAbort = () => {
    session.stop ??= 'interrupted';
  };
  const onHalt = () => {
    session.stop ??= 'failure';
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  options.halt?.addEventListener('abort', onHalt, { once: true });
  if (options.halt?.aborted) onHalt();
  try {
    await Promise.all(shares.map((share) => search(session, share, arbitrary, orderings)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    options.halt?.removeEventListener('abort', onHalt);
  }
  session.throwIfFailed();
  session.progress();
  const final = session.report();
  await options.onReport?.(final);
  return final;
}
