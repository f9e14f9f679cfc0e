import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { HAND_PICKED_DIR } from '../corpus/hand-picked.ts';
import { loadCorpus } from '../corpus/store.ts';
import { describeTarget } from '../driver/describe-target.ts';
import type { FuzzReport } from '../report/types.ts';
import { DEFAULT_RUNS, defaultWorkers, MAX_SEED, type FuzzOptions } from '../runner/fuzz-options.ts';
import { fuzz as fuzzSearch } from '../runner/fuzz.ts';
import type { Shard } from '../runner/split-runs.ts';
import { defaultThreads, fuzzOnThreads, searchCount } from '../runner/threads/fuzz-on-threads.ts';
import { scheduleArbitrary, type ScheduleConstraints } from '../schedule/arbitraries.ts';
import type { Schedule } from '../schedule/types.ts';
import { parseSchedule } from '../schedule/validate.ts';
import { VERSION } from '../version.ts';
import { assertWholeNumber } from '../whole-number.ts';
import { clientTarget, type DpopClient } from './client.ts';
import { checksOf, judgeOptionsOf, type JudgeSettings } from './judge-settings.ts';
import { DEFAULT_TIMEOUT_MS } from './run-schedule.ts';

/** What a fuzzing session will do, once its defaults are resolved (for a banner). */
export interface FuzzPlan {
  readonly clientName: string;
  readonly runs: number;
  readonly seed: number;
  readonly workers: number;
  readonly threads: number;
  /** Schedules tried before any generated one, by origin. */
  readonly examples: { readonly given: number; readonly handPicked: number; readonly corpus: number };
}

type Callbacks = Pick<FuzzOptions, 'onProgress' | 'onFound' | 'onCounterexample' | 'onReport'>;

export interface FuzzClientOptions extends JudgeSettings, Callbacks {
  /** Generated schedules (default 500). */
  readonly runs?: number;
  /** fast-check seed (default: random, and in the report); the same seed gives the same schedules. */
  readonly seed?: number;
  /** Searches side by side (default: 8 in-process, one per core for a command). */
  readonly workers?: number;
  /** Worker threads for a `{ module }` client (default: one per two cores). */
  readonly threads?: number;
  /** Run only this shard's searches (`{ index, count }`, 1-based); merge the shards' reports afterwards. */
  readonly shard?: Shard;
  /** Stop generating after this long; running shrinks still finish. */
  readonly timeLimitMs?: number | null;
  /** Per client run (default 20 s). */
  readonly timeoutMs?: number;
  /** Narrow the generated schedules (see `scheduleArbitrary`). */
  readonly constraints?: ScheduleConstraints;
  /** Run the shipped hand-picked schedules first (default true). */
  readonly handPicked?: boolean;
  /** Corpus directories whose schedules run first, after the hand-picked ones. */
  readonly corpus?: readonly string[];
  /** Schedules run first of all (e.g. known bugs' schedules). */
  readonly examples?: readonly Schedule[];
  /** Distinct failures after which exploration stops (default: no limit; 1 = stop at the first). */
  readonly maxBugs?: number;
  /** Replays of a shrunk counterexample before it is called a bug (default 3). */
  readonly confirmations?: number;
  /** Client runs spent on shrinking one counterexample at most (default 300). */
  readonly maxShrinkRuns?: number;
  /** `warning`: SHOULD-level WARNINGs count as counterexamples too (default `failure`). */
  readonly failOn?: 'failure' | 'warning';
  /** Requests after which the servers stop serving a runaway client (default 500). */
  readonly maxRequests?: number;
  /** Abort = stop now (Ctrl-C): running clients are stopped, the report still comes back. */
  readonly signal?: AbortSignal;
  /** The client's name in the report (default: its command, module path or function name). */
  readonly clientName?: string;
  /** The tool version written into the report (default: this package's). */
  readonly version?: string;
  /** Called once the defaults are resolved and the examples loaded, before the first run. */
  readonly onStart?: (plan: FuzzPlan) => void;
}

/**
 * Fuzzes a client: the examples, the hand-picked corpus and your corpus
 * first, then `runs` generated schedules; every failure is shrunk, replayed
 * and reported. Resolves to the report `dpop-fuzz run` writes as
 * `report.json`: `failures` (bugs) and `flaky` are empty for a client that
 * passed. Throws `DriverError` when the client cannot be run at all and
 * `CorpusError` for a corrupt corpus file.
 */
export async function fuzz(client: DpopClient, options: FuzzClientOptions = {}): Promise<FuzzReport> {
  const target = clientTarget(client);
  if (options.threads !== undefined && target.kind !== 'module') throw new TypeError('threads are for { module } clients: a thread loads the client by its path');
  assertFuzzNumbers(options);
  const checks = checksOf(options);
  const judge = judgeOptionsOf(options);
  const runs = options.runs ?? DEFAULT_RUNS;
  const seed = options.seed ?? randomInt(0, MAX_SEED);
  const workers = options.workers ?? defaultWorkers(target);
  const shard = options.shard;
  if (shard !== undefined) {
    assertWholeNumber('shard.count', shard.count, 1, workers);
    assertWholeNumber('shard.index', shard.index, 1, shard.count);
  }
  // Schedules from the caller are plain JSON from anywhere: validated like a schedule file.
  const given = distinct((options.examples ?? []).map((s) => parseSchedule(s)));
  const handPicked = options.handPicked === false ? [] : distinct((await loadCorpus(HAND_PICKED_DIR)).map((c) => c.entry.schedule), given);
  const corpus: Schedule[] = [];
  for (const dir of options.corpus ?? []) corpus.push(...(await loadCorpus(dir)).map((c) => c.entry.schedule));
  const fromCorpus = distinct(corpus, [...given, ...handPicked]);
  const clientName = options.clientName ?? describeTarget(target);
  // Fails now, with a clear message, on a constraint the generator refuses.
  if (options.constraints !== undefined) scheduleArbitrary(options.constraints);
  const threads = target.kind === 'module' ? Math.min(options.threads ?? defaultThreads(availableParallelism()), searchCount({ runs, workers, seed, ...(shard ? { shard } : {}) })) : 1;
  options.onStart?.({ clientName, runs, seed, workers, threads, examples: { given: given.length, handPicked: handPicked.length, corpus: fromCorpus.length } });
  const searchOptions: FuzzOptions = {
    target,
    clientName,
    runs,
    seed,
    workers,
    ...(shard ? { shard } : {}),
    timeLimitMs: options.timeLimitMs ?? null,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    checks,
    judge,
    examples: [...given, ...handPicked, ...fromCorpus],
    ...(options.maxBugs === undefined ? {} : { maxBugs: options.maxBugs }),
    ...(options.confirmations === undefined ? {} : { confirmations: options.confirmations }),
    ...(options.maxShrinkRuns === undefined ? {} : { maxShrinkRuns: options.maxShrinkRuns }),
    failOn: options.failOn ?? 'failure',
    ...(options.constraints === undefined ? {} : { constraints: options.constraints }),
    ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
    ...(options.signal ? { signal: options.signal } : {}),
    version: options.version ?? VERSION,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onFound ? { onFound: options.onFound } : {}),
    ...(options.onCounterexample ? { onCounterexample: options.onCounterexample } : {}),
    ...(options.onReport ? { onReport: options.onReport } : {}),
  };
  return threads > 1 ? fuzzOnThreads(searchOptions, threads) : fuzzSearch(searchOptions);
}

/** The numeric options, checked before anything runs (see `assertWholeNumber`). */
function assertFuzzNumbers(options: FuzzClientOptions): void {
  assertWholeNumber('runs', options.runs, 0);
  assertWholeNumber('seed', options.seed, 0, MAX_SEED);
  assertWholeNumber('workers', options.workers, 1);
  assertWholeNumber('threads', options.threads, 1);
  assertWholeNumber('timeLimitMs', options.timeLimitMs, 1);
  assertWholeNumber('timeoutMs', options.timeoutMs, 1);
  assertWholeNumber('maxBugs', options.maxBugs, 1);
  assertWholeNumber('confirmations', options.confirmations, 1);
  assertWholeNumber('maxShrinkRuns', options.maxShrinkRuns, 0);
  assertWholeNumber('maxRequests', options.maxRequests, 1);
  if (options.failOn !== undefined && options.failOn !== 'failure' && options.failOn !== 'warning') throw new RangeError(`failOn must be failure or warning, got ${JSON.stringify(options.failOn)}`);
}

/** Schedules without repeats, and without those already in `before`. */
function distinct(schedules: readonly Schedule[], before: readonly Schedule[] = []): Schedule[] {
  const seen = new Set(before.map((s) => JSON.stringify(s)));
  return schedules.filter((s) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
