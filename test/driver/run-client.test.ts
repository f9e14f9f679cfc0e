import { describe, expect, it } from 'vitest';
import { runClient } from '../../src/driver/run-client.ts';
import { DriverError } from '../../src/driver/types.ts';
import type { ClientTarget, DriverRequest } from '../../src/driver/types.ts';
import { nodeCommand } from './helpers.ts';

function request(target: ClientTarget): DriverRequest {
  return {
    target,
    serverUrl: 'http://127.0.0.1:5/mcp',
    scenario: 'auth/dpop-fuzz',
    context: {},
    timeoutMs: 1500,
  };
}

describe('runClient', () => {
  it('runs a command target as a subprocess', async () => {
    const outcome = await runClient(request({ kind: 'command', command: nodeCommand('echo-env.mjs') }));
    expect(outcome.exitCode).toBe(0);
    expect((JSON.parse(outcome.stdout) as { argv: string[] }).argv).toEqual(['http://127.0.0.1:5/mcp']);
  });

  it('runs a module target in-process', async () => {
    const outcome = await runClient(request({ kind: 'module', path: 'test/fixtures/driver/module-resolve.mjs' }));
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('url http://127.0.0.1:5/mcp\n');
  });

  it('rejects an unknown target kind with a DriverError', async () => {
    const target = { kind: 'url', url: 'x' } as unknown as ClientTarget;
    await expect(runClient(request(target))).rejects.toBeInstanceOf(DriverError);
    await expect(runClient(request(target))).rejects.toThrow(/^unknown client target kind: /);
  });
});
