/**
 * What the main thread and a fuzzing thread say to each other (structured
 * clone: plain data only). The thread runs `fuzz` on its part of the
 * searches; every callback of the run becomes a message, so the main thread
 * keeps the one view of the run the CLI and the API see.
 */
import type { FailureReport, FuzzReport } from '../../report/types.ts';
import type { FoundCounterexample, FuzzOptions, FuzzProgress } from '../fuzz-options.ts';
import type { Schedule } from '../../schedule/types.ts';
import type { Shard } from '../split-runs.ts';

/** The options of a thread's `fuzz` call that cross the thread boundary (no functions, signals or custom arbitraries). */
export type ThreadFuzzOptions = Omit<
  FuzzOptions,
  'target' | 'arbitrary' | 'signal' | 'halt' | 'thread' | 'phaseTimes' | 'onProgress' | 'onFound' | 'onCounterexample' | 'onReport'
> & { readonly target: { readonly kind: 'module'; readonly path: string } };

/** `workerData` of a fuzzing thread. */
export interface ThreadInput {
  readonly options: ThreadFuzzOptions;
  readonly thread: Shard;
  /** Run this schedule every time instead of generated ones (benchmarks of a fixed preset). */
  readonly schedule?: Schedule;
  /**
   * Which optional callbacks the main thread has (the others are not called).
   * Progress and found failures always come back: they number the runs.
   */
  readonly callbacks: { readonly counterexample: boolean; readonly report: boolean };
}

/** A failure before it is stored: what `onCounterexample` receives. */
export type UnstoredFailure = Omit<FailureReport, 'replayCommand' | 'corpusFile' | 'hits'>;

/** An error thrown in a thread, rebuilt on the main thread with its class. */
export interface ThreadError {
  /** `DriverError`: the harness could not run the client (a user-facing, one-line message). */
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** Thread → main. */
export type ThreadMessage =
  | { readonly type: 'progress'; readonly progress: FuzzProgress }
  | { readonly type: 'found'; readonly found: FoundCounterexample }
  | { readonly type: 'counterexample'; readonly id: number; readonly failure: UnstoredFailure }
  | { readonly type: 'report'; readonly report: FuzzReport }
  | { readonly type: 'done'; readonly report: FuzzReport }
  | { readonly type: 'error'; readonly error: ThreadError };

/** Main → thread. */
export type MainMessage =
  /** Ctrl-C: stop now, as `FuzzOptions.signal`. */
  | { readonly type: 'abort' }
  /** The run's bug limit was reached on some thread: stop exploring, as `FuzzOptions.halt`. */
  | { readonly type: 'halt' }
  /** The answer to a `counterexample` message. */
  | { readonly type: 'stored'; readonly id: number; readonly stored: Pick<FailureReport, 'replayCommand' | 'corpusFile'> }
  | { readonly type: 'store-failed'; readonly id: number; readonly message: string };
