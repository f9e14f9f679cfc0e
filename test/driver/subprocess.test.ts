import { accessSync, constants, existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUT_CAP_BYTES, TERMINATION_GRACE_MS } from '../../src/driver/limits.ts';
import { quoteShellArg } from '../../src/driver/shell-quote.ts';
import { runCommandClient } from '../../src/driver/subprocess.ts';
import { DriverError } from '../../src/driver/types.ts';
import type { DriverRequest } from '../../src/driver/types.ts';
import { fixture, isGone, killQuietly, nodeCommand, parsePids, tempFile, waitForPids } from './helpers.ts';

const URL_WITH_SHELL_SYNTAX = `http://127.0.0.1:5/mcp?a=1&b='two' "three" $(exit 9); \`x\` \\ end`;

function request(command: string, overrides: Partial<DriverRequest> = {}): DriverRequest {
  return {
    target: { kind: 'command', command },
    serverUrl: 'http://127.0.0.1:5/mcp',
    scenario: 'auth/dpop-fuzz',
    context: { name: 'auth/dpop-fuzz' },
    timeoutMs: 1500,
    ...overrides,
  };
}

// Processes a failed test may leave behind.
const spawned: number[] = [];
afterEach(() => {
  spawned.splice(0).forEach(killQuietly);
});

function remember(pids: { pid: number; grandchild: number }): void {
  spawned.push(pids.pid, pids.grandchild);
}

describe('runCommandClient: normal runs', () => {
  it('passes the server URL as the last argument, verbatim, and the conformance env vars', async () => {
    const outcome = await runCommandClient(
      request(nodeCommand('echo-env.mjs', '--first'), {
        serverUrl: URL_WITH_SHELL_SYNTAX,
        context: { name: 'auth/dpop-fuzz', schedule: { steps: [1, 2] } },
      }),
    );
    expect(outcome.exitCode).toBe(0);
    expect(outcome.signal).toBeNull();
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stderr).toBe('echo-env: started\n');
    const seen = JSON.parse(outcome.stdout) as Record<string, unknown>;
    expect(seen.argv).toEqual(['--first', URL_WITH_SHELL_SYNTAX]);
    expect(seen.scenario).toBe('auth/dpop-fuzz');
    expect(JSON.parse(String(seen.context))).toEqual({ name: 'auth/dpop-fuzz', schedule: { steps: [1, 2] } });
    expect(seen.protocolVersion).toBe('2025-11-25');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
    expect(outcome.durationMs).toBeLessThan(1500);
  });

  it('fills in the context name from the scenario when the caller left it out', async () => {
    const outcome = await runCommandClient(
      request(nodeCommand('echo-env.mjs'), { scenario: 'auth/other', context: { extra: true } }),
    );
    const seen = JSON.parse(outcome.stdout) as Record<string, unknown>;
    expect(JSON.parse(String(seen.context))).toEqual({ name: 'auth/other', extra: true });
  });

  it('reports a non-zero exit as an outcome, not an error', async () => {
    const outcome = await runCommandClient(request(nodeCommand('exit-with.mjs', '3', 'proof rejected')));
    expect(outcome).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(outcome.stdout).toBe('exit-with: working\n');
    expect(outcome.stderr).toBe('proof rejected\n');
  });

  it('treats a client of its own exiting 127 without "not found" as an ordinary failure', async () => {
    const outcome = await runCommandClient(request(nodeCommand('exit-with.mjs', '127', 'gave up')));
    expect(outcome.exitCode).toBe(127);
    expect(outcome.stderr).toBe('gave up\n');
  });

  it('caps huge output at 1 MiB per stream, keeping the start and draining the rest', async () => {
    const outcome = await runCommandClient(request(nodeCommand('flood.mjs')));
    expect(outcome.exitCode).toBe(0);
    for (const [text, name] of [
      [outcome.stdout, 'STDOUT'],
      [outcome.stderr, 'STDERR'],
    ] as const) {
      expect(text.startsWith(`BEGIN-${name}\n`)).toBe(true);
      expect(text).not.toContain(`END-${name}`);
      expect(text).toMatch(/\[output truncated: \d+ more bytes not shown\]$/);
      expect(Buffer.byteLength(text)).toBeGreaterThan(OUTPUT_CAP_BYTES);
      expect(Buffer.byteLength(text)).toBeLessThan(OUTPUT_CAP_BYTES + 100);
    }
  });

  it('kills processes the client leaves running in its group after it exits', async () => {
    const outcome = await runCommandClient(request(nodeCommand('orphan.mjs')));
    const pids = parsePids(outcome.stdout);
    remember(pids);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.timedOut).toBe(false);
    expect(isGone(pids.grandchild)).toBe(true);
  });
});

describe('runCommandClient: infrastructure problems', () => {
  it('rejects a command that does not exist with a clear one-line DriverError', async () => {
    const run = runCommandClient(request('no-such-mcp-client-7f3a --flag'));
    await expect(run).rejects.toBeInstanceOf(DriverError);
    await expect(run).rejects.toThrow(/^client command not found: no-such-mcp-client-7f3a --flag$/);
  });

  it('rejects a path that does not exist', async () => {
    await expect(runCommandClient(request('/no/such/dir/client'))).rejects.toThrow(
      'client command not found: /no/such/dir/client',
    );
  });

  it('rejects a file that is not executable', async () => {
    const script = fixture('not-executable.sh');
    expect(() => accessSync(script, constants.X_OK)).toThrow();
    await expect(runCommandClient(request(quoteShellArg(script)))).rejects.toThrow(
      /^client command is not executable: /,
    );
  });

  it('rejects an empty command and a bad timeout before starting anything', async () => {
    await expect(runCommandClient(request('   '))).rejects.toThrow('client command is empty');
    await expect(runCommandClient(request('true', { timeoutMs: 0 }))).rejects.toThrow(DriverError);
    await expect(runCommandClient(request('true', { timeoutMs: Number.NaN }))).rejects.toThrow(/timeout/);
  });

  it('rejects a context that cannot be sent as JSON', async () => {
    const context: Record<string, unknown> = { name: 'x' };
    context.self = context;
    await expect(runCommandClient(request('true', { context }))).rejects.toThrow(
      /^client context is not JSON-serialisable: /,
    );
  });
});

describe('runCommandClient: stopping', () => {
  it('kills a hanging client and its grandchild on timeout', { timeout: 15_000 }, async () => {
    const readyFile = tempFile('ready.json');
    const run = runCommandClient(request(nodeCommand('hang.mjs'), { context: { readyFile } }));
    const pids = await waitForPids(readyFile, 1400);
    remember(pids);
    expect(isGone(pids.pid)).toBe(false);
    expect(isGone(pids.grandchild)).toBe(false);

    const outcome = await run;
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
    expect(parsePids(outcome.stdout)).toEqual(pids);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1500 - 50);
    expect(outcome.durationMs).toBeLessThan(1500 + TERMINATION_GRACE_MS);
    expect(isGone(pids.pid)).toBe(true);
    expect(isGone(pids.grandchild)).toBe(true);
  });

  it('SIGKILLs a client that ignores SIGTERM once the grace period is over', { timeout: 15_000 }, async () => {
    const readyFile = tempFile('ready.json');
    const run = runCommandClient(request(nodeCommand('hang.mjs', '--ignore-term'), { context: { readyFile } }));
    const pids = await waitForPids(readyFile, 1400);
    remember(pids);
    expect(isGone(pids.grandchild)).toBe(false);

    const outcome = await run;
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeNull();
    // The leader may be the `sh -c` wrapper (which dies on SIGTERM) or the client itself.
    expect(['SIGTERM', 'SIGKILL']).toContain(outcome.signal);
    // Only SIGKILL, after the full grace period, could stop the client.
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1500 + TERMINATION_GRACE_MS - 50);
    expect(outcome.durationMs).toBeLessThan(1500 + TERMINATION_GRACE_MS + 3000);
    expect(isGone(pids.pid)).toBe(true);
    expect(isGone(pids.grandchild)).toBe(true);
  });

  it('stops the client when the signal aborts, without calling it a timeout', { timeout: 15_000 }, async () => {
    const readyFile = tempFile('ready.json');
    const controller = new AbortController();
    const run = runCommandClient(
      request(nodeCommand('hang.mjs'), { context: { readyFile }, signal: controller.signal }),
    );
    const pids = await waitForPids(readyFile, 1400);
    remember(pids);
    expect(isGone(pids.grandchild)).toBe(false);
    controller.abort();

    const outcome = await run;
    expect(outcome.timedOut).toBe(false);
    expect(outcome.exitCode).toBeNull();
    expect(outcome.signal).toBe('SIGTERM');
    expect(isGone(pids.pid)).toBe(true);
    expect(isGone(pids.grandchild)).toBe(true);
  });

  it('does not start the client when the signal is already aborted', async () => {
    const marker = tempFile('started');
    const controller = new AbortController();
    controller.abort();
    const outcome = await runCommandClient(
      request(`touch ${quoteShellArg(marker)}`, { signal: controller.signal }),
    );
    expect(outcome).toEqual({ exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 });
    expect(existsSync(marker)).toBe(false);
  });
});
