import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * POSIX process groups: a command client is started as the leader of its own
 * group (`setsid`/`setpgid` via `detached: true`), so the client, its shell and
 * anything they spawn can be signalled together with `kill(-pgid, sig)`.
 */

const POLL_MS = 25;

/**
 * Sends `sig` to every process in the group. Returns false when the group has
 * no process left (ESRCH). Signal 0 only probes.
 */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return false;
    // EPERM: a member we may not signal still exists.
    if (errorCode(error) === 'EPERM') return true;
    throw error;
  }
}

/**
 * True while the group has a member that is not a zombie. `kill(-pgid, 0)`
 * also succeeds for zombies, which stay around when PID 1 does not reap
 * orphans (common in containers); a zombie is already dead, so on Linux the
 * members are looked up in /proc to skip them.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat !== null && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** State and process group of a process from /proc/<pid>/stat, or null when unreadable (proc(5)). */
export function readProcStat(pid: number): { state: string; pgrp: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses,
  // so the fields are counted from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  if (state === undefined || !Number.isInteger(pgrp)) return null;
  return { state, pgrp };
}

/** Polls until the group is gone or `ms` elapse; true when it is gone. */
export async function waitForGroupExit(pgid: number, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (!groupAlive(pgid)) return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await sleep(Math.min(POLL_MS, left));
  }
}

/**
 * Stops the whole group: SIGTERM, then SIGKILL for whatever is still there
 * after `graceMs`, then waits up to `settleMs` for the kernel to finish.
 * Never throws and always returns within about `graceMs + settleMs`.
 */
export async function terminateGroup(pgid: number, graceMs: number, settleMs: number): Promise<void> {
  try {
    if (!signalGroup(pgid, 'SIGTERM')) return;
    if (await waitForGroupExit(pgid, graceMs)) return;
    if (!signalGroup(pgid, 'SIGKILL')) return;
    await waitForGroupExit(pgid, settleMs);
  } catch {
    // Nothing more can be done from here; the outcome still gets reported.
  }
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a running group so it is SIGKILLed if this process exits while
 * the group runs (`process.exit`, an uncaught error): only synchronous work is
 * possible in an 'exit' listener, so there is no grace period. Returns the
 * function that forgets the group once it has been stopped.
 */
export function trackGroup(pgid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killTrackedGroups);
  }
  liveGroups.add(pgid);
  return () => {
    liveGroups.delete(pgid);
  };
}

function killTrackedGroups(): void {
  for (const pgid of liveGroups) {
    try {
      signalGroup(pgid, 'SIGKILL');
    } catch {
      // Exiting anyway.
    }
  }
  liveGroups.clear();
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
