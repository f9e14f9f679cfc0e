// Entry point of a fuzzing thread. A worker thread does not inherit the
// TypeScript loader of the main thread, so the thread's body is loaded the way
// bin/ loads the CLI: the sources through tsx in a clone, the compiled
// JavaScript in the package (a TypeScript client module registers tsx when it loads).
import { load } from '../../../bin/load.js';

await load('runner/threads/fuzz-thread');
