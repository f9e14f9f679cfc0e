/**
 * The body of a fuzzing thread (`fuzzOnThreads`): runs `fuzz` on the
 * thread's part of the searches and turns every callback into a message to
 * the main thread. Loaded through `fuzz-thread-boot.mjs`, which first
 * registers the TypeScript loader (a worker thread does not inherit it).
 */
import fc from 'fast-check';
import { parentPort, workerData } from 'node:worker_threads';
import { fuzz } from '../fuzz.ts';
import type { MainMessage, ThreadError, ThreadInput, ThreadMessage } from './messages.ts';

const port = parentPort;
if (port === null) throw new Error('fuzz-thread.ts runs as a worker thread of fuzzOnThreads');
const input = workerData as ThreadInput;
const send = (message: ThreadMessage) => port.postMessage(message);

const abort = new AbortController();
const halt = new AbortController();
const pending = new Map<number, { resolve: (value: Extract<MainMessage, { type: 'stored' }>['stored']) => void; reject: (err: Error) => void }>();
let nextId = 0;

port.on('message', (message: MainMessage) => {
  switch (message.type) {
    case 'abort':
      abort.abort();
      return;
    case 'halt':
      halt.abort();
      return;
    case 'stored':
      pending.get(message.id)?.resolve(message.stored);
      pending.delete(message.id);
      return;
    case 'store-failed':
      pending.get(message.id)?.reject(new Error(message.message));
      pending.delete(message.id);
      return;
  }
});

const { callbacks } = input;
try {
  const report = await fuzz({
    ...input.options,
    thread: input.thread,
    ...(input.schedule ? { arbitrary: fc.constant(input.schedule) } : {}),
    signal: abort.signal,
    halt: halt.signal,
    onProgress: (progress) => send({ type: 'progress', progress }),
    onFound: (found) => send({ type: 'found', found }),
    ...(callbacks.counterexample
      ? {
          onCounterexample: (failure) =>
            new Promise((resolve, reject) => {
              const id = nextId++;
              pending.set(id, { resolve, reject });
              send({ type: 'counterexample', id, failure });
            }),
        }
      : {}),
    ...(callbacks.report ? { onReport: (report) => send({ type: 'report', report }) } : {}),
  });
  send({ type: 'done', report });
} catch (err) {
  const error: ThreadError = err instanceof Error ? { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } : { name: 'Error', message: String(err) };
  send({ type: 'error', error });
}
// The main thread terminates this thread once it has the report: a client may leave timers behind.
