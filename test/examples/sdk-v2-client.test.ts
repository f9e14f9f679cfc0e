import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseAlg, planFromContext } from '../../examples/sdk-v2-client/client.ts';

/**
 * The example client built on the official MCP SDK v2 and its DPoP support,
 * judged through the CLI as a user would run it, on presets where the SDK is
 * conformant. Each run's key check must have had something to judge
 * (SUCCESS, not SKIPPED), so a client that quietly skipped DPoP cannot pass.
 */
const BIN = path.resolve('bin/dpop-fuzz.js');
const CLIENT = `node ${path.resolve('examples/sdk-v2-client/run.mjs')}`;
let dir: string;

interface CheckResult {
  readonly id: string;
  readonly status: string;
}

function check(preset: string, out: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const args = [BIN, 'check', '--command', CLIENT, '--preset', preset, '--out', out];
    execFile(process.execPath, args, { timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } }, (err, _stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-sdk-v2-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The three runs are independent (own servers, own ports, own output), so they run side by side.
describe('the SDK v2 example client passes the judge', () => {
  it.concurrent.for([
    // Both servers demand a nonce from the first request (RFC 9449 §8, §9).
    ['dpop-nonce', ['sep-1932-client-token-request-proof', 'sep-1932-client-as-nonce', 'sep-1932-client-rs-nonce']],
    // The MCP server rotates its nonce on a 200 (RFC 9449 §8.2, §9).
    ['rs-nonce-rotation', ['sep-1932-client-rs-nonce', 'sep-1932-client-newest-nonce']],
    // Only EdDSA and PS256 are advertised (RFC 9449 §5.1): the example picks one.
    ['algs-without-es256', ['sep-1932-client-advertised-alg', 'sep-1932-client-key-binding']],
  ] as const)('%s', async ([preset, mustSucceed], { expect }) => {
    const out = path.join(dir, preset);
    const r = await check(preset, out);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(await readFile(path.join(out, 'checks.json'), 'utf8')) as CheckResult[];
    expect(results.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')).toEqual([]);
    for (const id of mustSucceed) expect(results.find((c) => c.id === id)?.status, id).toBe('SUCCESS');
    expect(await readFile(path.join(out, 'client-stderr.txt'), 'utf8')).not.toMatch(/^error:/m);
  });
});

describe('planFromContext', () => {
  it('defaults to tools/list then tools/call', () => {
    expect(planFromContext(undefined)).toEqual([['tools/list'], ['tools/call']]);
    expect(planFromContext('{"name":"auth/dpop-fuzz"}')).toEqual([['tools/list'], ['tools/call']]);
  });

  it('reads the steps', () => {
    expect(planFromContext('{"steps":[["tools/list","ping"],["tools/call"]]}')).toEqual([['tools/list', 'ping'], ['tools/call']]);
  });

  it('rejects an unknown method and malformed steps', () => {
    expect(() => planFromContext('{"steps":[["tools/delete"]]}')).toThrow(/unknown plan method "tools\/delete"/);
    expect(() => planFromContext('{"steps":["tools/list"]}')).toThrow(/not an array of arrays/);
  });
});

describe('chooseAlg (RFC 9449 §5.1)', () => {
  it('keeps ES256 when it is advertised or nothing is', () => {
    expect(chooseAlg(undefined)).toBe('ES256');
    expect(chooseAlg(['PS256', 'ES256'])).toBe('ES256');
  });

  it("takes the server's first alg the SDK can sign with", () => {
    expect(chooseAlg(['HS256', 'EdDSA', 'PS256'])).toBe('EdDSA');
    expect(chooseAlg(['PS256', 'EdDSA'])).toBe('PS256');
  });

  it('falls back to ES256 when nothing advertised is signable', () => {
    expect(chooseAlg(['HS256'])).toBe('ES256');
  });
});
