import { describe, expect, it } from 'vitest';
import { MODULE_STOP_GRACE_MS } from '../../src/driver/limits.ts';
import { runModuleClient } from '../../src/driver/module.ts';
import { DriverError } from '../../src/driver/types.ts';
import type { DriverRequest } from '../../src/driver/types.ts';

const FIXTURES = 'test/fixtures/driver';

function request(path: string, overrides: Partial<DriverRequest> = {}): DriverRequest {
  return {
    target: { kind: 'module', path },
    serverUrl: 'http://127.0.0.1:5/mcp',
    scenario: 'auth/dpop-fuzz',
    context: { seed: 7 },
    timeoutMs: 1000,
    ...overrides,
  };
}

describe('runModuleClient', () => {
  it('calls runClient with the URL, context and a live signal; resolving means exit code 0', async () => {
    const outcome = await runModuleClient(request(`${FIXTURES}/module-resolve.mjs`));
    expect(outcome).toMatchObject({ exitCode: 0, signal: null, timedOut: false, stderr: '' });
    expect(outcome.stdout).toBe(
      'url http://127.0.0.1:5/mcp\ncontext {"name":"auth/dpop-fuzz","seed":7}\naborted false\n',
    );
    expect(outcome.durationMs).toBeLessThan(1000);
  });

  it('resolves the path against the working directory and loads TypeScript', async () => {
    const outcome = await runModuleClient(request(`./${FIXTURES}/module-typed.ts`));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toBe('typed 127.0.0.1:5\n');
  });

  it('turns a rejection into exit code 1 with the message, not the stack, in stderr', async () => {
    const outcome = await runModuleClient(request(`${FIXTURES}/module-reject.mjs`));
    expect(outcome).toMatchObject({ exitCode: 1, signal: null, timedOut: false });
    expect(outcome.stdout).toBe('trying\n');
    expect(outcome.stderr).toBe('token endpoint refused the proof\n');
  });

  it('rejects a missing file with a DriverError naming it', async () => {
    const run = runModuleClient(request(`${FIXTURES}/no-such-client.mjs`));
    await expect(run).rejects.toBeInstanceOf(DriverError);
    await expect(run).rejects.toThrow(/^client module not found: test\/fixtures\/driver\/no-such-client\.mjs \(/);
  });

  it('rejects a directory', async () => {
    await expect(runModuleClient(request(FIXTURES))).rejects.toThrow(/^client module is not a file: /);
  });

  it('rejects a module without a runClient export', async () => {
    await expect(runModuleClient(request(`${FIXTURES}/module-no-export.mjs`))).rejects.toThrow(
      /does not export a function runClient/,
    );
  });

  it('rejects a module that throws while loading, with a one-line message', async () => {
    const run = runModuleClient(request(`${FIXTURES}/module-throws-on-load.mjs`));
    await expect(run).rejects.toBeInstanceOf(DriverError);
    await expect(run).rejects.toThrow(/^client module failed to load: .*cannot initialise the client$/);
  });

  it('gives up on a client that ignores the timeout, reporting it timed out', { timeout: 10_000 }, async () => {
    const outcome = await runModuleClient(request(`${FIXTURES}/module-ignore-signal.mjs`, { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ exitCode: null, signal: null, timedOut: true, stdout: 'started\n', stderr: '' });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(300 + MODULE_STOP_GRACE_MS - 50);
    expect(outcome.durationMs).toBeLessThan(300 + MODULE_STOP_GRACE_MS + 2000);
  });

  it('aborts the signal on timeout so a cooperative client stops early', { timeout: 10_000 }, async () => {
    const outcome = await runModuleClient(request(`${FIXTURES}/module-cooperative.mjs`, { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ exitCode: null, timedOut: true });
    expect(outcome.stdout).toBe('started\naborted: TimeoutError\n');
    expect(outcome.stderr).toBe('stopped by the driver\n');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(300 - 50);
    expect(outcome.durationMs).toBeLessThan(300 + MODULE_STOP_GRACE_MS);
  });

  it('stops the client when the caller aborts, without calling it a timeout', async () => {
    const controller = new AbortController();
    const outcome = await runModuleClient(
      request(`${FIXTURES}/module-cooperative.mjs`, {
        timeoutMs: 1500,
        signal: controller.signal,
        context: { onStarted: () => controller.abort() },
      }),
    );
    expect(outcome).toMatchObject({ exitCode: null, timedOut: false });
    expect(outcome.stdout).toBe('started\naborted: AbortError\n');
    expect(outcome.durationMs).toBeLessThan(1500);
  });

  it('does not call the client when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runModuleClient(request(`${FIXTURES}/module-resolve.mjs`, { signal: controller.signal }));
    expect(outcome).toEqual({ exitCode: null, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 0 });
  });
});
