import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { onCleanup, runCleanups } from '../../src/driver/cleanup.ts';
import { fixture, isGone, killQuietly, parsePids, waitUntilGone } from './helpers.ts';
import type { Pids } from './helpers.ts';

describe('cleanup registry', () => {
  it('runs registered cleanups once, skipping unregistered ones and surviving failures', async () => {
    const calls: string[] = [];
    onCleanup(() => {
      calls.push('sync');
    });
    const unregister = onCleanup(() => {
      calls.push('unregistered');
    });
    onCleanup(() => {
      throw new Error('cleanup failed');
    });
    onCleanup(async () => {
      await Promise.resolve();
      calls.push('async');
    });
    unregister();
    await runCleanups();
    expect(calls.sort()).toEqual(['async', 'sync']);
    await runCleanups();
    expect(calls).toHaveLength(2);
  });

  it('waits for asynchronous cleanups to finish', async () => {
    let done = false;
    onCleanup(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      done = true;
    });
    await runCleanups();
    expect(done).toBe(true);
  });
});

/** The harness is a stand-in for the CLI, run under tsx in its own process group. */
function startHarness(mode: string, boundMs: number): { harness: ChildProcess; ready: Promise<Pids>; exit: Promise<number | null> } {
  const harness = spawn(process.execPath, ['--import', 'tsx', fixture('signal-harness.ts'), mode, String(boundMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  const ready = new Promise<Pids>((resolve, reject) => {
    harness.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((l) => l.startsWith('READY '));
      if (line !== undefined) resolve(parsePids(line.slice('READY '.length)));
    });
    harness.once('exit', () => reject(new Error(`harness exited before READY: ${output}`)));
  });
  const exit = new Promise<number | null>((resolve) => harness.once('exit', (code) => resolve(code)));
  return { harness, ready, exit };
}

const leftovers: number[] = [];
afterEach(() => {
  leftovers.splice(0).forEach(killQuietly);
});

describe('installSignalHandlers (in a harness process)', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s stops the running client and its grandchild, then exits %i', { timeout: 20_000 }, async (signal, code) => {
    const { harness, ready, exit } = startHarness('signal', 5000);
    leftovers.push(harness.pid ?? 0);
    const pids = await ready;
    leftovers.push(pids.pid, pids.grandchild);
    expect(isGone(pids.grandchild)).toBe(false);

    harness.kill(signal);
    expect(await exit).toBe(code);
    expect(isGone(pids.pid)).toBe(true);
    expect(isGone(pids.grandchild)).toBe(true);
  });

  it('bounds cleanups that never finish', { timeout: 20_000 }, async () => {
    const { harness, ready, exit } = startHarness('stuck', 1000);
    leftovers.push(harness.pid ?? 0);
    const pids = await ready;
    leftovers.push(pids.pid, pids.grandchild);

    const sentAt = performance.now();
    harness.kill('SIGINT');
    expect(await exit).toBe(130);
    const took = performance.now() - sentAt;
    expect(took).toBeGreaterThanOrEqual(1000 - 50);
    expect(took).toBeLessThan(1000 + 3000);
    expect(await waitUntilGone(pids.grandchild, 2000)).toBe(true);
  });

  it('exits at once on a second Ctrl-C', { timeout: 20_000 }, async () => {
    const { harness, ready, exit } = startHarness('stuck', 60_000);
    leftovers.push(harness.pid ?? 0);
    const pids = await ready;
    leftovers.push(pids.pid, pids.grandchild);

    harness.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentAt = performance.now();
    harness.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(performance.now() - sentAt).toBeLessThan(3000);
    // The 'exit' hook SIGKILLs the client group even on the fast path.
    expect(await waitUntilGone(pids.grandchild, 2000)).toBe(true);
  });

  it('kills running clients when the process exits without a signal', { timeout: 20_000 }, async () => {
    const { harness, ready, exit } = startHarness('exit', 5000);
    leftovers.push(harness.pid ?? 0);
    const pids = await ready;
    leftovers.push(pids.pid, pids.grandchild);

    expect(await exit).toBe(0);
    expect(await waitUntilGone(pids.pid, 2000)).toBe(true);
    expect(await waitUntilGone(pids.grandchild, 2000)).toBe(true);
  });
});
