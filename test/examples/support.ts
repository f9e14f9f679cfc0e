import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Runs the example clients through the CLI as a user would, and reads what
 * the judge wrote.
 */
const BIN = path.resolve('bin/dpop-fuzz.js');

/** How the CLI runs the client: a command (`--command`) or an in-process module (`--module`). */
export type Target = { readonly command: string } | { readonly module: string };

export interface CheckResult {
  readonly id: string;
  readonly status: string;
}

export interface CheckRun {
  readonly code: number;
  readonly stderr: string;
  /** checks.json */
  readonly results: CheckResult[];
  /** What the client wrote to stderr. */
  readonly clientStderr: string;
}

/** `dpop-fuzz check` of one preset, output in `out`. */
export async function checkPreset(target: Target, preset: string, out: string): Promise<CheckRun> {
  const client = 'command' in target ? ['--command', target.command] : ['--module', target.module];
  const args = [BIN, 'check', ...client, '--preset', preset, '--out', out];
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } }, (err, _stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stderr });
    });
  });
  const results = JSON.parse(await readFile(path.join(out, 'checks.json'), 'utf8')) as CheckResult[];
  const clientStderr = await readFile(path.join(out, 'client-stderr.txt'), 'utf8').catch(() => '');
  return { code, stderr, results, clientStderr };
}

/** The checks that found something: FAILURE or WARNING. */
export function findings(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
}

/** The status of one check, or undefined when it did not run. */
export function statusOf(results: readonly CheckResult[], id: string): string | undefined {
  return results.find((c) => c.id === id)?.status;
}
