import { execFile } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';

/** The CLI as users run it. */
export const BIN = path.resolve('bin/dpop-fuzz.js');

/** Runs `dpop-fuzz <args>` in a separate process: exit code and output. */
export function cli(args: string[], timeout = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout, env: { ...process.env, FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A corpus folder under `dir` seeded with the hand-picked schedules, as a
 * nightly job has it: a run reads them first and writes its counterexamples
 * there, never into the repository's `corpus/`.
 */
export async function scratchCorpus(dir: string): Promise<string> {
  const corpus = path.join(dir, 'corpus');
  await cp('corpus/hand-picked', path.join(corpus, 'hand-picked'), { recursive: true });
  return corpus;
}
