import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { brokenClientMain, referenceClientMain } from '../../src/clients/cli.ts';
import type { CliIo } from '../../src/clients/cli.ts';
import { FAULT_NAMES } from '../../src/clients/faults.ts';
import { startMiniWorld } from './support/mini-world.ts';
import type { MiniWorld, MiniWorldOptions } from './support/mini-world.ts';

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string): void => {
      io.out += text;
    },
    stderr: (text: string): void => {
      io.err += text;
    },
  };
  return io;
}

// Spawned clients start tsx first, which takes a second or two on a busy machine.
const SPAWN_TIMEOUT_MS = 30_000;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Spawned {
  readonly code: number | null;
  readonly stderr: string;
}

function spawnClient(args: readonly string[], env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function withWorld<T>(options: MiniWorldOptions, body: (world: MiniWorld) => Promise<T>): Promise<T> {
  const world = await startMiniWorld(options);
  try {
    return await body(world);
  } finally {
    await world.stop();
  }
}

describe('referenceClientMain', () => {
  it('is a usage error without a server URL', async () => {
    const io = captureIo();
    expect(await referenceClientMain([], {}, io)).toBe(2);
    expect(io.err).toMatch(/^usage: reference-client\.js/);
    expect(await referenceClientMain(['not a url'], {}, io)).toBe(2);
  });

  it('takes the server URL from the last argument and the plan from MCP_CONFORMANCE_CONTEXT', async () => {
    await withWorld({}, async (world) => {
      const io = captureIo();
      const env = { MCP_CONFORMANCE_CONTEXT: JSON.stringify({ name: 'auth/dpop-fuzz', steps: [['ping']] }), MCP_CONFORMANCE_SCENARIO: 'x' };
      expect(await referenceClientMain(['--verbose', world.mcpUrl], env, io)).toBe(0);
      const rpc = world.mcpAuthenticated.map((r) => r.rpcMethod).filter((m) => m !== null);
      expect(rpc).toEqual(['initialize', 'notifications/initialized', 'ping']);
      expect(io.err).toMatch(/^\[reference-client\] /m);
      expect(io.err).not.toMatch(/^error:/m);
    });
  });

  it('prints one error line naming the OAuth error and returns 1 on failure', async () => {
    await withWorld({ tokenActions: [{ kind: 'invalid-dpop-proof' }] }, async (world) => {
      const io = captureIo();
      expect(await referenceClientMain([world.mcpUrl], {}, io)).toBe(1);
      const errors = io.err.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/invalid_dpop_proof/);
    });
  });

  it('fails on a malformed MCP_CONFORMANCE_CONTEXT', async () => {
    const io = captureIo();
    expect(await referenceClientMain(['http://127.0.0.1:1/mcp'], { MCP_CONFORMANCE_CONTEXT: '{' }, io)).toBe(1);
    expect(io.err).toMatch(/^error: the conformance context is not valid JSON$/m);
  });
});

describe('brokenClientMain', () => {
  it('is a usage error for an unknown or missing fault', async () => {
    const io = captureIo();
    expect(await brokenClientMain(['no-such-fault', 'http://127.0.0.1:1/mcp'], {}, io)).toBe(2);
    expect(io.err).toMatch(/unknown fault: no-such-fault/);
    expect(await brokenClientMain(['bearer-scheme,no-such-fault', 'http://127.0.0.1:1/mcp'], {}, io)).toBe(2);
    expect(io.err).toMatch(/unknown fault: no-such-fault/);
    expect(await brokenClientMain(['http://127.0.0.1:1/mcp'], {}, io)).toBe(2);
    expect(await brokenClientMain(['bearer-scheme', 'nope'], {}, io)).toBe(2);
  });

  it('lists every fault with --list', async () => {
    const io = captureIo();
    expect(await brokenClientMain(['--list'], {}, io)).toBe(0);
    for (const fault of FAULT_NAMES) expect(io.out).toContain(fault);
  });

  it('runs the named fault', async () => {
    await withWorld({}, async (world) => {
      const io = captureIo();
      await brokenClientMain(['bearer-scheme', world.mcpUrl], {}, io);
      expect(world.mcpAuthenticated[0]?.authorization).toMatch(/^Bearer /);
      expect(io.err).toMatch(/^\[broken-client bearer-scheme\] faults: bearer-scheme$/m);
    });
  });
});

describe('bin scripts', () => {
  it('reference-client.js exits 0 after a full run, with nothing keeping it alive', async () => {
    await withWorld({}, async (world) => {
      const { code, stderr } = await spawnClient(['bin/reference-client.js', world.mcpUrl]);
      expect(stderr).not.toMatch(/^error:/m);
      expect(code).toBe(0);
      // The SSE stream was opened, and the session ended.
      expect(world.mcpAuthenticated.some((r) => r.method === 'GET')).toBe(true);
      expect(world.mcpAuthenticated.at(-1)?.method).toBe('DELETE');
    });
  }, SPAWN_TIMEOUT_MS);

  it('broken-client.js exits 1 with one error line when its fault is caught', async () => {
    await withWorld({}, async (world) => {
      const { code, stderr } = await spawnClient(['bin/broken-client.js', 'new-key-per-request', world.mcpUrl]);
      expect(code).toBe(1);
      expect(stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([expect.stringMatching(/invalid_dpop_proof/)]);
    });
  }, SPAWN_TIMEOUT_MS);

  it('broken-client.js exits 2 for an unknown fault', async () => {
    const { code, stderr } = await spawnClient(['bin/broken-client.js', 'no-such-fault', 'http://127.0.0.1:1/mcp']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: broken-client\.js/);
  }, SPAWN_TIMEOUT_MS);
});
