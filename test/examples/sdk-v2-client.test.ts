import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleClient } from '../../src/driver/types.ts';
import { chooseAlg, planFromContext, runClient } from '../../examples/sdk-v2-client/client.ts';
import { checkPreset, findings, statusOf } from './support.ts';

/**
 * The example client built on the official MCP SDK v2 and its DPoP support,
 * judged through the CLI as a user would run it, on presets where the SDK is
 * conformant. Each run's key check must have had something to judge
 * (SUCCESS, not SKIPPED), so a client that quietly skipped DPoP cannot pass.
 */
const COMMAND = `node ${path.resolve('examples/sdk-v2-client/run.mjs')}`;
const MODULE = path.resolve('examples/sdk-v2-client/client.ts');
const DIRECT_MODULE = path.resolve('examples/sdk-v2-client/mutation/direct-client.ts');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-sdk-v2-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The runs are independent (own servers, own ports, own output), so they run side by side.
describe('the SDK v2 example client passes the judge', () => {
  it.concurrent.for([
    // Both servers demand a nonce from the first request (RFC 9449 §8, §9).
    ['command', 'dpop-nonce', ['sep-1932-client-token-request-proof', 'sep-1932-client-as-nonce', 'sep-1932-client-rs-nonce']],
    // The MCP server rotates its nonce on a 200 (RFC 9449 §8.2, §9).
    ['command', 'rs-nonce-rotation', ['sep-1932-client-rs-nonce', 'sep-1932-client-newest-nonce']],
    // Only EdDSA and PS256 are advertised (RFC 9449 §5.1): the example picks one.
    ['command', 'algs-without-es256', ['sep-1932-client-advertised-alg', 'sep-1932-client-key-binding']],
    // The same client in process (`--module`), every request through the fuzzer's in-memory fetch.
    ['module', 'dpop-nonce', ['sep-1932-client-token-request-proof', 'sep-1932-client-as-nonce', 'sep-1932-client-rs-nonce']],
    // No dpop_signing_alg_values_supported (RFC 9449 §5.1): the SDK's default alg.
    ['module', 'algs-not-advertised', ['sep-1932-client-advertised-alg', 'sep-1932-client-key-binding']],
    // The mutation oracle's second client: withDpop used directly, with a session object.
    ['direct', 'dpop-nonce', ['sep-1932-client-token-request-proof', 'sep-1932-client-as-nonce', 'sep-1932-client-rs-nonce', 'sep-1932-client-htm-htu-match', 'sep-1932-client-dpop-jkt']],
    // It refuses an unbound token instead of sending it with withDpop's DPoP scheme (RFC 9449 §7.1).
    ['direct', 'bearer-token-binding-optional', ['sep-1932-client-token-request-proof']],
  ] as const)('%s %s', async ([how, preset, mustSucceed], { expect }) => {
    const r = await checkPreset(how === 'command' ? { command: COMMAND } : { module: how === 'module' ? MODULE : DIRECT_MODULE }, preset, path.join(dir, `${how}-${preset}`));
    expect(r.code, r.stderr).toBe(0);
    expect(findings(r.results)).toEqual([]);
    for (const id of mustSucceed) expect(statusOf(r.results, id), id).toBe('SUCCESS');
    expect(r.clientStderr).not.toMatch(/^error:/m);
  });
});

describe('runClient', () => {
  it('has the in-process contract of the fuzzer', () => {
    const contract: ModuleClient = runClient;
    expect(contract).toBeTypeOf('function');
  });
});

describe('planFromContext', () => {
  it('defaults to tools/list then tools/call', () => {
    expect(planFromContext(undefined)).toEqual([['tools/list'], ['tools/call']]);
    expect(planFromContext('{"name":"auth/dpop-fuzz"}')).toEqual([['tools/list'], ['tools/call']]);
    expect(planFromContext({ name: 'auth/dpop-fuzz' })).toEqual([['tools/list'], ['tools/call']]);
  });

  it('reads the steps, from the context object or its JSON text', () => {
    expect(planFromContext('{"steps":[["tools/list","ping"],["tools/call"]]}')).toEqual([['tools/list', 'ping'], ['tools/call']]);
    expect(planFromContext({ name: 'auth/dpop-fuzz', steps: [['ping'], ['prompts/list', 'resources/list']] })).toEqual([['ping'], ['prompts/list', 'resources/list']]);
  });

  it('rejects an unknown method and malformed steps', () => {
    expect(() => planFromContext('{"steps":[["tools/delete"]]}')).toThrow(/unknown plan method "tools\/delete"/);
    expect(() => planFromContext('{"steps":["tools/list"]}')).toThrow(/not an array of arrays/);
  });
});

describe('chooseAlg (RFC 9449 §5.1)', () => {
  it('keeps ES256 when it is advertised, and leaves the SDK default when nothing is', () => {
    expect(chooseAlg(undefined)).toBeUndefined();
    expect(chooseAlg(['PS256', 'ES256'])).toBe('ES256');
  });

  it("takes the server's first alg the SDK can sign with", () => {
    expect(chooseAlg(['HS256', 'EdDSA', 'PS256'])).toBe('EdDSA');
    expect(chooseAlg(['PS256', 'EdDSA'])).toBe('PS256');
  });

  it("falls back to the SDK's default when nothing advertised is signable", () => {
    expect(chooseAlg(['HS256'])).toBeUndefined();
  });
});
