import { Worker } from 'node:worker_threads';
import { DriverError } from '../../driver/types.ts';
import { combineReports } from '../../report/merge.ts';
import { bugKey } from '../bug-book.ts';
import type { FuzzReport } from '../../report/types.ts';
import type { Schedule } from '../../schedule/types.ts';
import type { FoundCounterexample, FuzzOptions, FuzzProgress } from '../fuzz-options.ts';
import { searchesOf } from '../split-runs.ts';
import type { MainMessage, ThreadError, ThreadInput, ThreadMessage } from './messages.ts';

const THREAD_ENTRY = new URL('./fuzz-thread-boot.mjs', import.meta.url);

/**
 * Threads for an in-process run on `cores` cores: one per two. A thread of
 * searches keeps about 1.3 cores busy on its own (its JavaScript, WebCrypto's
 * thread pool, the garbage collector), so one thread per core only adds
 * contention: measured on 2 cores, 2 threads gave 85 runs/s where 1 gave 83,
 * at 22 ms of CPU per run instead of 15.
 */
export function defaultThreads(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

/** The searches a run (or its shard) has: the most threads that can have work. */
export function searchCount(options: Pick<FuzzOptions, 'runs' | 'workers' | 'seed' | 'shard'>): number {
  return searchesOf(options).length;
}

/** What a thread can be given besides the options: a fixed schedule in place of the generator (`npm run bench`). */
export interface ThreadExtras {
  readonly schedule?: Schedule;
}

function rebuild(error: ThreadError): Error {
  const err = error.name === 'DriverError' ? new DriverError(error.message) : new Error(error.message);
  if (error.stack) err.stack = error.stack;
  return err;
}

/**
 * `fuzz` for an in-process client (`--module`) on `threads` worker threads,
 * so that its runs can use more cores: thread t runs every `threads`-th of the
 * run's searches (`threadShares`), so the same seed and workers give the
 * same schedules on any number of threads. The callbacks are called on this
 * thread, as with `fuzz`, and the report is the threads' reports combined
 * (`combineReports`): each bug once, counts added up. Two threads may find
 * and shrink the same bug side by side; it is reported once. A run number
 * (`FoundCounterexample.run`, `FailureReport.foundAtRun`) counts the runs of
 * all threads up to the moment it was found.
 */
export async function fuzzOnThreads(options: FuzzOptions, threads: number, extras: ThreadExtras = {}): Promise<FuzzReport> {
  const target = options.target;
  if (target.kind !== 'module') throw new Error('fuzzOnThreads runs module clients (--module) only: a thread loads the client by its path');
  if (options.arbitrary !== undefined || options.phaseTimes !== undefined) throw new Error('fuzzOnThreads cannot send a custom arbitrary or phase timer to its threads');
  const count = Math.max(1, Math.min(threads, searchCount(options)));
  const { arbitrary: _a, signal, halt: _h, thread: _t, phaseTimes: _p, onProgress, onFound, onCounterexample, onReport, ...plain } = options;
  const input = (index: number): ThreadInput => ({
    options: { ...plain, target: { kind: 'module', path: target.path } },
    thread: { index, count },
    ...(extras.schedule ? { schedule: extras.schedule } : {}),
    callbacks: { counterexample: onCounterexample !== undefined, report: onReport !== undefined },
  });

  const t0 = performance.now();
  const progress: (FuzzProgress | undefined)[] = Array.from({ length: count }, () => undefined);
  const reports: (FuzzReport | undefined)[] = Array.from({ length: count }, () => undefined);
  /** Per thread: its own run number of a found failure → the run number across threads. */
  const runNumbers = Array.from({ length: count }, () => new Map<number, number>());
  let lastFoundRun = 0;
  let halted = false;
  const distinct = new Set<string>();
  const workers: Worker[] = [];
  const broadcast = (message: MainMessage) => {
    for (const w of workers) w.postMessage(message);
  };
  const totalRuns = () => progress.reduce((n, p) => n + (p?.runs ?? 0), 0);
  const renumber = (report: FuzzReport, thread: number): FuzzReport => {
    const map = runNumbers[thread]!;
    const fix = (failures: FuzzReport['failures']) => failures.map((f) => ({ ...f, foundAtRun: map.get(f.foundAtRun) ?? f.foundAtRun }));
    return { ...report, failures: fix(report.failures), flaky: fix(report.flaky) };
  };
  const combined = () => {
    const parts = reports.flatMap((r, i) => (r === undefined ? [] : [renumber(r, i)]));
    return { ...combineReports(parts), durationMs: Math.round(performance.now() - t0) };
  };
  // Calls that must land in order (reports, stored counterexamples) are chained.
  let chain: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(step: () => Promise<T> | T): Promise<T> => {
    const next = chain.then(step);
    chain = next.catch(() => undefined);
    return next;
  };

  // A callback that throws (the report cannot be written) ends the run with its error, as with `fuzz`.
  const callbackErrors: unknown[] = [];
  const callbackFailed = (error: unknown) => {
    callbackErrors.push(error);
    broadcast({ type: 'abort' });
  };

  const onAbort = () => broadcast({ type: 'abort' });
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const finals = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const worker = new Worker(THREAD_ENTRY, { workerData: input(i + 1) });
        workers.push(worker);
        if (signal?.aborted) worker.postMessage({ type: 'abort' } satisfies MainMessage);
        return new Promise<FuzzReport>((resolve, reject) => {
          worker.on('message', (message: ThreadMessage) => {
            switch (message.type) {
              case 'progress': {
                progress[i] = message.progress;
                const all = progress.filter((p): p is FuzzProgress => p !== undefined);
                const failures = all.reduce((n, p) => n + p.failures, 0);
                onProgress?.({
                  runs: totalRuns(),
                  requestedRuns: all.reduce((n, p) => n + p.requestedRuns, 0),
                  shrinkRuns: all.reduce((n, p) => n + p.shrinkRuns, 0),
                  failures,
                  shrinking: all.some((p) => p.shrinking),
                  elapsedMs: performance.now() - t0,
                });
                return;
              }
              case 'found': {
                // Unique and increasing: two threads may report a failure at the same total.
                const run = Math.max(totalRuns(), lastFoundRun + 1);
                lastFoundRun = run;
                runNumbers[i]!.set(message.found.run, run);
                const found: FoundCounterexample = { ...message.found, run };
                // The bug limit counts failures by their checks across threads (as \`BugBook\` does within one).
                distinct.add(bugKey(found.checkIds));
                if (!halted && options.maxBugs !== undefined && distinct.size >= options.maxBugs) {
                  halted = true;
                  broadcast({ type: 'halt' });
                }
                inOrder(() => onFound?.(found)).catch(callbackFailed);
                return;
              }
              case 'counterexample': {
                const failure = { ...message.failure, foundAtRun: runNumbers[i]!.get(message.failure.foundAtRun) ?? message.failure.foundAtRun };
                inOrder(() => onCounterexample!(failure)).then(
                  (stored) => worker.postMessage({ type: 'stored', id: message.id, stored } satisfies MainMessage),
                  (err: unknown) => worker.postMessage({ type: 'store-failed', id: message.id, message: err instanceof Error ? err.message : String(err) } satisfies MainMessage),
                );
                return;
              }
              case 'report':
                reports[i] = message.report;
                inOrder(() => onReport?.(combined())).catch(callbackFailed);
                return;
              case 'done':
                reports[i] = message.report;
                resolve(message.report);
                return;
              case 'error':
                reject(rebuild(message.error));
                return;
            }
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`fuzzing thread ${i + 1} exited with code ${code} before its report`)));
        });
      }),
    );
    await chain;
    if (callbackErrors.length > 0) throw callbackErrors[0];
    const final = { ...combineReports(finals.map((r, i) => renumber(r, i))), durationMs: Math.round(performance.now() - t0) };
    await onReport?.(final);
    return final;
  } catch (err) {
    // One thread failed: the others stop too (their clients are stopped, not left running).
    broadcast({ type: 'abort' });
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
