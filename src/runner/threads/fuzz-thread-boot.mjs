// Entry point of a fuzzing thread: a worker thread does not inherit the
// TypeScript loader of the main thread, so register it before loading the
// thread's TypeScript body.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-thread.ts');
