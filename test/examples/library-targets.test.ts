import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleClient } from '../../src/driver/types.ts';
import * as oauth4webapiTarget from '../../examples/oauth4webapi/client.ts';
import * as openidClientTarget from '../../examples/openid-client/client.ts';
import { checkPreset, findings, statusOf } from './support.ts';

/**
 * The example clients whose OAuth and DPoP are openid-client's and
 * oauth4webapi's, judged through the CLI as a user would run them, on presets
 * where the library is conformant. Each run's key checks must have had
 * something to judge (SUCCESS, not SKIPPED), so a client that quietly skipped
 * DPoP cannot pass. The two libraries share their error classes and the
 * `modifyAssertion` symbol (openid-client is built on oauth4webapi), so one
 * description fits both.
 */
const TARGETS = [
  { name: 'openid-client', target: openidClientTarget, modifyAssertion: oidc.modifyAssertion },
  { name: 'oauth4webapi', target: oauth4webapiTarget, modifyAssertion: oauth.modifyAssertion },
] as const;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-library-targets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The runs are independent (own servers, own ports, own output), so they run side by side.
describe.each(TARGETS)('the $name example client', ({ name, target, modifyAssertion }) => {
  const { chooseKey, runClient } = target;
  const COMMAND = `node ${path.resolve(`examples/${name}/run.mjs`)}`;
  const MODULE = path.resolve(`examples/${name}/client.ts`);

  describe('passes the judge', () => {
    it.concurrent.for([
      // Both servers demand a nonce from the first request (RFC 9449 §8, §9): openid-client retries
      // once by itself, the oauth4webapi example once on isDPoPNonceError.
      ['command', 'dpop-nonce', ['sep-1932-client-token-request-proof', 'sep-1932-client-as-nonce', 'sep-1932-client-rs-nonce', 'sep-1932-client-dpop-jkt']],
      // The MCP server rotates its nonce on a 200 (RFC 9449 §8.2, §9).
      ['command', 'rs-nonce-rotation', ['sep-1932-client-rs-nonce', 'sep-1932-client-newest-nonce']],
      // Only EdDSA and PS256 are advertised (RFC 9449 §5.1): an Ed25519 key, its alg put back to EdDSA.
      ['command', 'algs-without-es256', ['sep-1932-client-advertised-alg', 'sep-1932-client-key-binding']],
      // invalid_token from the MCP server: a DPoP-bound refresh with the same key (RFC 9449 §5), in process.
      ['module', 'rs-invalid-token', ['sep-1932-client-no-fallback-on-invalid-token', 'sep-1932-client-key-binding', 'sep-1932-client-no-grant-reuse']],
    ] as const)('%s %s', async ([how, preset, mustSucceed], { expect }) => {
      const r = await checkPreset(how === 'command' ? { command: COMMAND } : { module: MODULE }, preset, path.join(dir, `${name}-${how}-${preset}`));
      expect(r.code, r.stderr).toBe(0);
      expect(findings(r.results)).toEqual([]);
      for (const id of ['sep-1932-client-completes', ...mustSucceed]) expect(statusOf(r.results, id), id).toBe('SUCCESS');
      expect(r.clientStderr).not.toMatch(/^error:/m);
    });
  });

  describe('runClient', () => {
    it('has the in-process contract of the fuzzer', () => {
      const contract: ModuleClient = runClient;
      expect(contract).toBeTypeOf('function');
    });
  });

  describe('chooseKey (RFC 9449 §5.1)', () => {
    it('keeps ES256 when it is advertised or nothing is', () => {
      expect(chooseKey(undefined)).toEqual({ alg: 'ES256' });
      expect(chooseKey([])).toEqual({ alg: 'ES256' });
      expect(chooseKey(['PS256', 'ES256'])).toEqual({ alg: 'ES256' });
    });

    it("takes the server's first alg the library can sign with", () => {
      expect(chooseKey(['HS256', 'PS256', 'EdDSA'])).toEqual({ alg: 'PS256' });
    });

    it('signs EdDSA with an Ed25519 key whose header alg is put back to EdDSA', () => {
      const choice = chooseKey(['EdDSA', 'PS256']);
      expect(choice.alg).toBe('Ed25519');
      const header: Record<string, string> = { alg: 'Ed25519', typ: 'dpop+jwt' };
      choice.options?.[modifyAssertion]?.(header, {});
      expect(header).toEqual({ alg: 'EdDSA', typ: 'dpop+jwt' });
    });

    it('refuses when nothing advertised can be signed', () => {
      expect(() => chooseKey(['HS256'])).toThrow(new RegExp(`no DPoP alg ${name} can sign with \\(HS256\\)`));
    });
  });
});
