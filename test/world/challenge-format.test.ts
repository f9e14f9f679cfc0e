/**
 * `mcp.challengeFormat` (how WWW-Authenticate is spelled) and
 * `mcp.boundTokensRequired` (RFC 9728 resource metadata). Every spelling must
 * be valid per RFC 9110 §11.6.1 / §11.2 and RFC 6750 §3, and the default must
 * be exactly what the MCP server sent before the format existed.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHALLENGE_FORMAT } from '../../src/schedule/defaults.ts';
import type { ChallengeFormat, ChallengeSchemes } from '../../src/schedule/types.ts';
import { buildChallenge, type ChallengeParams } from '../../src/world/challenge.ts';
import { createTestKey, mcpInitialize, obtainToken } from '../support/dpop-test-proofs.ts';
import { fieldValues, lastEntry, rawRequest, start } from './support/world-harness.ts';
import { allChallengeFormats } from '../support/challenge-formats.ts';

const RM = 'http://127.0.0.1:1/.well-known/oauth-protected-resource/mcp';
const NONCE: ChallengeParams = { error: 'use_dpop_nonce', description: 'Resource server requires nonce in DPoP proof', resourceMetadata: RM, algs: ['ES256', 'EdDSA'] };
const BARE: ChallengeParams = { resourceMetadata: RM, algs: ['ES256'] };
const INVALID: ChallengeParams = { error: 'invalid_token', description: 'The access token is not valid', resourceMetadata: RM, algs: ['ES256'] };


// RFC 9110 §5.6.2 token, §5.6.4 quoted-string, §11.2 auth-param, §5.6.1 list with OWS.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';
const PARAM = `${TOKEN}[ \\t]*=[ \\t]*(?:${TOKEN}|${QUOTED})`;
const ELEMENT = `(?:${TOKEN} +${PARAM}|${PARAM}|${TOKEN})`;
const FIELD = new RegExp(`^${TOKEN}(?: +${PARAM})?(?:[ \\t]*,[ \\t]*${ELEMENT})*$`);

describe('buildChallenge with the default format', () => {
  it('spells the challenges exactly as before the format existed', () => {
    expect(buildChallenge('DPoP', NONCE)).toEqual([
      `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof", algs="ES256 EdDSA", resource_metadata="${RM}"`,
    ]);
    expect(buildChallenge('DPoP+Bearer', BARE)).toEqual([`Bearer resource_metadata="${RM}", DPoP algs="ES256", resource_metadata="${RM}"`]);
    expect(buildChallenge('Bearer', INVALID)).toEqual([`Bearer error="invalid_token", error_description="The access token is not valid", resource_metadata="${RM}"`]);
    expect(buildChallenge('Bearer', NONCE, DEFAULT_CHALLENGE_FORMAT)).toEqual(buildChallenge('DPoP', NONCE));
    // The nonce error stays with DPoP; a server that also takes Bearer offers it, error-free.
    expect(buildChallenge('DPoP+Bearer', NONCE)).toEqual([`Bearer resource_metadata="${RM}", ${buildChallenge('DPoP', NONCE)[0]}`]);
  });
});

describe('buildChallenge variants', () => {
  it('applies every switch at once', () => {
    const f: ChallengeFormat = { schemeCase: 'dpop', errorFirst: false, bareError: true, spaced: true, extraParam: true, bearerFirst: false, separateHeaders: false };
    const params = ' foo = "bar, error=\\"invalid_request\\"" ,  error_description = "The access token is not valid" ,  ';
    expect(buildChallenge('DPoP+Bearer', INVALID, f)).toEqual([
      `dpop ${params}algs = "ES256" ,  resource_metadata = "${RM}" ,  error = invalid_token ,  Bearer ${params}resource_metadata = "${RM}" ,  error = invalid_token`,
    ]);
  });

  it('puts each challenge in a field of its own, in the asked order', () => {
    const f: ChallengeFormat = { ...DEFAULT_CHALLENGE_FORMAT, schemeCase: 'DPOP', bearerFirst: false, separateHeaders: true };
    expect(buildChallenge('DPoP+Bearer', BARE, f)).toEqual([`DPOP algs="ES256", resource_metadata="${RM}"`, `Bearer resource_metadata="${RM}"`]);
    expect(buildChallenge('DPoP+Bearer', BARE, { ...f, bearerFirst: true })).toEqual([`Bearer resource_metadata="${RM}"`, `DPOP algs="ES256", resource_metadata="${RM}"`]);
  });

  it.each(['DPoP', 'DPoP+Bearer', 'Bearer'] as ChallengeSchemes[])('with %s, every format gives valid field values (RFC 9110 §11.6.1)', (schemes) => {
    let checked = 0;
    for (const f of allChallengeFormats()) {
      for (const p of [NONCE, BARE, INVALID]) {
        const fields = buildChallenge(schemes, p, f);
        expect(fields.length).toBe(schemes === 'DPoP+Bearer' && f.separateHeaders ? 2 : 1);
        for (const field of fields) expect(field, JSON.stringify(f)).toMatch(FIELD);
        checked++;
      }
    }
    expect(checked).toBe(192 * 3);
  });

  it('never sends error before the other params when errorFirst is off, nor a quoted error when bareError is on', () => {
    for (const f of allChallengeFormats()) {
      const [field = ''] = buildChallenge('DPoP', NONCE, f);
      expect(field.includes('error = use_dpop_nonce') || field.includes('error=use_dpop_nonce')).toBe(f.bareError);
      expect(/^\w+ +error *=/.test(field)).toBe(f.errorFirst);
      expect(field.startsWith(`${f.schemeCase} `)).toBe(true);
    }
  });
});

describe('the MCP server sends the scheduled spelling', () => {
  it('separate WWW-Authenticate fields on the wire, joined in the trace', async () => {
    const { w } = await start({ mcp: { challenge: 'DPoP+Bearer', challengeFormat: { ...DEFAULT_CHALLENGE_FORMAT, separateHeaders: true, bearerFirst: false } } });
    const reply = await rawRequest(w.mcpUrl, 'POST', { 'content-type': 'application/json' }, '{}');
    expect(reply.status).toBe(401);
    const fields = fieldValues(reply, 'www-authenticate');
    expect(fields).toHaveLength(2);
    expect(fields[0]).toMatch(/^DPoP algs="ES256", resource_metadata="/);
    expect(fields[1]).toMatch(/^Bearer resource_metadata="/);
    expect(lastEntry(w).responseHeaders['www-authenticate']).toBe(fields.join(', '));
  });

  it('a bare, last error in a spaced lowercase nonce challenge with an extra param', async () => {
    const format: ChallengeFormat = { schemeCase: 'dpop', errorFirst: false, bareError: true, spaced: true, extraParam: true, bearerFirst: true, separateHeaders: false };
    const { w } = await start({ mcp: { initialNonce: 'rs-0', challengeFormat: format } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const res = await mcpInitialize(w, accessToken, key);
    expect(res.status).toBe(401);
    await res.body?.cancel();
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^dpop  foo = "bar, error=\\"invalid_request\\"" ,  error_description = ".*" ,  algs = "ES256" ,  resource_metadata = "[^"]+" ,  error = use_dpop_nonce$/);
    expect(lastEntry(w)).toMatchObject({ error: 'use_dpop_nonce', nonceDelivered: 'rs-0' });
  });
});

describe('dpop_bound_access_tokens_required in the resource metadata (RFC 9728 §2)', () => {
  it.each([
    [true, true],
    [false, false],
    [null, undefined],
  ] as const)('boundTokensRequired %s → %s', async (value, served) => {
    const { w } = await start({ mcp: { boundTokensRequired: value } });
    const meta = (await (await fetch(`${new URL(w.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>;
    expect(meta['dpop_bound_access_tokens_required']).toBe(served);
    expect('dpop_bound_access_tokens_required' in meta).toBe(value !== null);
  });
});
