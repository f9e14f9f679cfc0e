import fc from 'fast-check';
import { scheduleLabels } from '../schedule/classify.ts';
import type { Schedule } from '../schedule/types.ts';
import { onTarget } from './bug-book.ts';
import type { FailingRun, FoundFailure, FuzzSession } from './fuzz-session.ts';
import type { RunOnceResult } from './run-once.ts';
import { simplify } from './simplify.ts';
import type { WorkerShare } from './split-runs.ts';

/** Generated runs per fast-check run inside one search. */
const CHUNK_RUNS = 50;

/** The seed of chunk `chunk` of a search: fixed by the search's seed, distinct per chunk. */
function chunkSeed(seed: number, chunk: number): number {
  return (seed + Math.imul(chunk, 0x9e3779b1)) | 0;
}

type Example = [Schedule, fc.Scheduler | null];

/**
 * One search: the corpus (search 0 only), then `share.runs` generated
 * schedules from `share.seed`. A run that fails a check no known bug
 * explains is shrunk by fast-check, then further by `simplify`, and settled;
 * the search then goes on exploring.
 */
export async function search(session: FuzzSession, share: WorkerShare, arbitrary: fc.Arbitrary<Schedule>, orderings: fc.Arbitrary<fc.Scheduler | null>): Promise<void> {
  const { options, book } = session;
  let failing: FoundFailure | null = null;
  let lastFailure: FailingRun | null = null;
  let shrinkRuns = 0;
  /** Values fast-check hands over that were already explored: passed over without running the client. */
  let skip = 0;
  /** Values of the current fast-check run handed over before shrinking began (skipped ones included). */
  let explored = 0;

  const property = fc.asyncProperty(arbitrary, orderings, async (schedule, scheduler) => {
    if (failing === null) {
      explored++;
      if (skip > 0) {
        skip--;
        return true;
      }
      if (!session.exploring()) return true;
      if (performance.now() > session.deadline) {
        session.stop ??= 'time-limit';
        return true;
      }
    } else if (shrinkRuns >= session.maxShrinkRuns || session.aborted()) {
      // Shrink budget spent: the smallest failing schedule so far stands.
      return true;
    }
    const result = await session.runSchedule(schedule, scheduler);
    if (failing === null) {
      session.runs++;
      session.tally.add(scheduleLabels(schedule));
    } else {
      shrinkRuns++;
      session.shrinkRuns++;
    }
    session.progress();
    if (result === null) return true;
    if (failing !== null) {
      // Shrinking: the candidate must still show the same bug.
      if (!onTarget(session.failed(result), failing.target)) return true;
      lastFailure = { schedule, result };
      return false;
    }
    const failed = session.failed(result);
    if (failed.length === 0) return true;
    for (const id of failed) session.failedChecks[id] = (session.failedChecks[id] ?? 0) + 1;
    // A new check opens a new bug; a run failing only claimed checks is a hit of those bugs.
    const sighting = book.sight(failed, book.size < session.maxBugs && session.stop === null);
    if (sighting.kind === 'known') return true;
    failing = { target: sighting.target, ticket: sighting.ticket, run: session.runs, original: schedule };
    if (book.size >= session.maxBugs) session.stop ??= 'failure';
    await options.onFound?.({ run: session.runs, checkIds: failed, schedule });
    lastFailure = { schedule, result };
    return false;
  });

  /**
   * One fast-check run, passing over its first `from` values: true when it
   * ended without a new failure; otherwise the failure is shrunk further,
   * replayed and settled.
   */
  const explore = async (parameters: fc.Parameters<Example>, from: number): Promise<boolean> => {
    failing = null;
    lastFailure = null;
    shrinkRuns = 0;
    skip = from;
    explored = 0;
    const details = await fc.check(property, { ...parameters, endOnFailure: false });
    if (!details.failed) return true;
    if (failing === null || lastFailure === null) {
      if (details.errorInstance) throw details.errorInstance;
      return true;
    }
    const found: FoundFailure = failing;
    const stillFails = async (candidate: Schedule): Promise<RunOnceResult | null> => {
      const result = session.aborted() ? null : await session.runSchedule(candidate);
      session.shrinkRuns++;
      session.progress();
      return result !== null && onTarget(session.failed(result), found.target) ? result : null;
    };
    const shrunk = await simplify(lastFailure, stillFails, Math.max(0, session.maxShrinkRuns - shrinkRuns));
    await session.settle(found, shrunk, details);
    return false;
  };

  // The corpus first (search 0), with the servers' natural answer order, each schedule once.
  const corpus = share.index === 0 ? (options.examples ?? []).map((s): Example => [s, null]) : [];
  for (let next = 0; next < corpus.length; ) {
    if (!session.exploring()) return;
    const examples = corpus.slice(next);
    const done = await explore({ seed: share.seed, numRuns: examples.length, examples }, 0);
    next = done ? corpus.length : next + explored;
  }
  // Then the generated runs, in chunks: each its own fast-check run with a seed derived from
  // the search's, so a stop (bug limit, time limit, Ctrl-C) takes effect within one chunk. A
  // failure ends a fast-check run; the chunk is then run again from the value after it, the
  // values before it passed over unrun. So chunk c always holds the same schedules, whatever
  // failed before and whatever the other searches (or shards) found: the same seed and
  // workers give the same schedules.
  for (let chunk = 0, from = 0; chunk * CHUNK_RUNS < share.runs; ) {
    if (!session.exploring()) return;
    const numRuns = Math.min(CHUNK_RUNS, share.runs - chunk * CHUNK_RUNS);
    const done = await explore({ seed: chunkSeed(share.seed, chunk), numRuns }, from);
    // `explored` counts from the chunk's start: the values passed over and those run.
    from = done ? numRuns : explored;
    if (from >= numRuns) {
      chunk++;
      from = 0;
    }
  }
}
