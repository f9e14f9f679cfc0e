/**
 * `as.accessTokens`: opaque access tokens `${stem}${salt}${n}${"=" × padding}` (salt drawn per world) that
 * use every b64token character (RFC 6750 §2.1). Their binding (RFC 9449
 * §6.2) is only known to the servers, so the MCP server looks the token up
 * and accepts it only byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { createTestKey, mcpInitialize, obtainToken } from '../support/dpop-test-proofs.ts';
import { lastEntry, start } from './support/world-harness.ts';

const STEM = 'Az09-._~+/';

describe('opaque access tokens', () => {
  it.each([0, 1, 2] as const)('padding %i: the token is stem, a part drawn per world, counter and padding, recorded with its binding', async (padding) => {
    const { w } = await start({ as: { accessTokens: { kind: 'opaque', stem: STEM, padding } } });
    const key = await createTestKey();
    const first = await obtainToken(w, key);
    const second = await obtainToken(w, key);
    const salt = first.accessToken.slice(STEM.length, STEM.length + 8);
    expect(salt).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(first.accessToken).toBe(`${STEM}${salt}0${'='.repeat(padding)}`);
    expect(second.accessToken).toBe(`${STEM}${salt}1${'='.repeat(padding)}`);
    // RFC 6750 §2.1 b64token.
    expect(first.accessToken).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
    expect(w.trace().tokens).toEqual([
      expect.objectContaining({ id: 't0', accessToken: first.accessToken, jkt: key.jkt, tokenType: 'DPoP' }),
      expect.objectContaining({ id: 't1', accessToken: second.accessToken, jkt: key.jkt }),
    ]);
  });

  it('never repeats across worlds: a token cached from an earlier run is unknown to the next one', async () => {
    const schedule = { as: { accessTokens: { kind: 'opaque', stem: STEM, padding: 1 } } } as const;
    const { w: one } = await start(schedule);
    const earlier = (await obtainToken(one, await createTestKey())).accessToken;
    await one.close();
    const { w: two } = await start(schedule);
    const later = (await obtainToken(two, await createTestKey())).accessToken;
    expect(later).not.toBe(earlier);
  });

  it('is accepted byte for byte with a proof whose ath hashes it (RFC 9449 §7)', async () => {
    const { w } = await start({ as: { accessTokens: { kind: 'opaque', stem: STEM, padding: 2 } } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const res = await mcpInitialize(w, accessToken, key);
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(lastEntry(w)).toMatchObject({ authorization: { kind: 'credentials', scheme: 'DPoP', token: accessToken, tokenId: 't0' }, decision: { kind: 'scheduled' } });
  });

  it.each([
    ['without its padding', (t: string) => t.replace(/=+$/, '')],
    ['with + percent-encoded', (t: string) => t.replace('+', '%2B')],
    ['with / turned into _', (t: string) => t.replace('/', '_')],
  ])('is refused %s: 401 invalid_token', async (_name, alter) => {
    const { w } = await start({ as: { accessTokens: { kind: 'opaque', stem: STEM, padding: 2 } } });
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const altered = alter(accessToken);
    expect(altered).not.toBe(accessToken);
    const res = await mcpInitialize(w, altered, key);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    await res.body?.cancel();
    expect(lastEntry(w)).toMatchObject({ authorization: { kind: 'credentials', tokenId: null }, decision: { kind: 'rejected', reason: 'unknown access token' } });
  });

  it('a proof by another key is refused: the binding is checked from the record, not from the token (RFC 9449 §6.2)', async () => {
    const { w } = await start({ as: { accessTokens: { kind: 'opaque', stem: 'tok', padding: 0 } } });
    const { accessToken } = await obtainToken(w, await createTestKey());
    const res = await mcpInitialize(w, accessToken, await createTestKey());
    expect(res.status).toBe(401);
    await res.body?.cancel();
    expect(lastEntry(w).decision).toMatchObject({ kind: 'rejected', error: 'invalid_dpop_proof', reason: expect.stringMatching(/^jkt-mismatch/) });
  });

  it('the default stays a JWT with cnf.jkt (RFC 9449 §6.1)', async () => {
    const { w } = await start();
    const key = await createTestKey();
    const { accessToken } = await obtainToken(w, key);
    const [, payload = ''] = accessToken.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toMatchObject({ cnf: { jkt: key.jkt } });
  });
});
