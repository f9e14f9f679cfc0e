// Entry point of a fuzzing thread. A worker thread does not inherit the
// TypeScript loader of the main thread: from the sources, register tsx before
// loading the thread's TypeScript body; from the compiled package, load its
// JavaScript body (a TypeScript client module registers tsx when it loads).
import { existsSync } from 'node:fs';

const source = new URL('./fuzz-thread.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('./fuzz-thread.js', import.meta.url).href);
}
