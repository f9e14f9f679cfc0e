import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readProcStat } from '../../src/driver/process-group.ts';
import { quoteShellArg } from '../../src/driver/shell-quote.ts';

/** Absolute path of a driver fixture. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/driver/${name}`, import.meta.url));
}

/** A shell command that runs a fixture with this Node binary. */
export function nodeCommand(name: string, ...args: string[]): string {
  return [process.execPath, fixture(name), ...args].map(quoteShellArg).join(' ');
}

/** A fresh path for a ready file inside a new temporary directory. */
export function tempFile(name: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'driver-test-')), name);
}

/**
 * True when no process `pid` is running: `kill(pid, 0)` fails with ESRCH, or
 * the process is a zombie (dead, but not yet reaped because its parent is
 * gone and PID 1 does not reap orphans, as in some containers).
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return true;
    throw error;
  }
  return readProcStat(pid)?.state === 'Z';
}

/** Polls `isGone` for up to `ms`. */
export async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (isGone(pid)) return true;
    await sleep(20);
  }
  return isGone(pid);
}

export interface Pids {
  pid: number;
  grandchild: number;
}

/** Waits (up to `ms`) for the ready file a hanging fixture writes and parses it. */
export async function waitForPids(file: string, ms: number): Promise<Pids> {
  const deadline = performance.now() + ms;
  while (!existsSync(file)) {
    if (performance.now() > deadline) throw new Error(`fixture not ready after ${ms} ms`);
    await sleep(10);
  }
  return parsePids(readFileSync(file, 'utf8'));
}

/** The `{"pid":…,"grandchild":…}` line a fixture printed. */
export function parsePids(text: string): Pids {
  const line = text.split('\n').find((l) => l.startsWith('{"pid"'));
  if (line === undefined) throw new Error(`no pid line in output: ${JSON.stringify(text.slice(0, 200))}`);
  const value: unknown = JSON.parse(line);
  const { pid, grandchild } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || typeof grandchild !== 'number') throw new Error(`bad pid line: ${line}`);
  return { pid, grandchild };
}

/** Last-resort cleanup for a test that failed half-way: SIGKILL whatever is left. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
