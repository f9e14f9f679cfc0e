import { execFile } from 'node:child_process';
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
