import { describe, expect, it } from 'vitest';
import { advertisedAlg } from '../../src/checks/advertised-alg.ts';
import { boundTokensRequired } from '../../src/checks/bound-tokens-required.ts';
import { dpopJkt } from '../../src/checks/dpop-jkt.ts';
import { noCrossOriginCredentials } from '../../src/checks/no-cross-origin-credentials.ts';
import { noGrantReuse } from '../../src/checks/no-grant-reuse.ts';
import { scheduleWith } from '../../src/schedule/defaults.ts';
import { AS, KEY, TraceBuilder, withToken } from './trace-builder.ts';

const code = (c: string) => ({ type: 'authorization_code', code: c, refreshToken: null });
const refresh = (rt: string) => ({ type: 'refresh_token', code: null, refreshToken: rt });

describe('sep-1932-client-bound-tokens-required (RFC 9728 §2)', () => {
  function bearerToken(scheme: string, proof: boolean) {
    const b = new TraceBuilder('Bearer');
    b.add({ endpoint: 'prm', method: 'GET', at: 0, done: 1 });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'as-1' }, issuesToken: 'AT1' });
    const presented = b.add({ at: 10, done: 11, token: 'AT1', scheme, proof: proof ? { jti: 'a' } : null, status: 401, error: 'invalid_token' });
    return { b, presented };
  }
  const required = scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: true } });

  it.each([
    ['Bearer', false],
    ['DPoP', true],
  ] as const)('fails a token the AS typed Bearer, presented with %s, where binding is required', (scheme, proof) => {
    const { b, presented } = bearerToken(scheme, proof);
    const r = boundTokensRequired({ ...b.input(), schedule: required });
    expect(r.status).toBe('FAILURE');
    expect(r.evidence).toEqual([0, presented]);
    // RFC 9449 §5 alone leaves it to the client whether binding is important: a WARNING there.
    expect(boundTokensRequired({ ...b.input({}, { profile: 'rfc9449' }), schedule: required }).status).toBe('WARNING');
  });

  it('passes the same presentation where binding is not required, and is SKIPPED without the requirement', () => {
    const { b } = bearerToken('Bearer', false);
    expect(boundTokensRequired({ ...b.input(), schedule: scheduleWith({ mcp: { boundTokensRequired: false } }) }).status).toBe('SKIPPED');
  });

  it('leaves a DPoP-bound token presented as Bearer to dpop-auth-scheme (one bug, one finding)', () => {
    const b = new TraceBuilder('DPoP');
    b.add({ endpoint: 'prm', method: 'GET', at: 0, done: 1 });
    withToken(b);
    b.add({ at: 10, done: 11, token: 'AT1', scheme: 'Bearer', proof: { jti: 'a' } });
    expect(boundTokensRequired(b.input()).status).toBe('SUCCESS');
  });
});

describe('sep-1932-client-no-grant-reuse (RFC 6749 §4.1.2, §6; RFC 9700 §4.14.2)', () => {
  it('fails a code redeemed twice', () => {
    const b = new TraceBuilder();
    const first = b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: code('C1'), issuesToken: 'AT1' });
    const again = b.add({ server: 'as', at: 5, done: 6, proof: { jti: 'b' }, grant: code('C1'), status: 400, error: 'invalid_grant' });
    const r = noGrantReuse(b.input());
    expect(r).toMatchObject({ status: 'FAILURE', evidence: [first, again] });
    expect(r.message).toMatch(/presented the authorization code that #0 POST token had already redeemed/);
  });

  it('fails a refresh token presented after a refresh rotated it, and parallel refreshes', () => {
    const rotated = new TraceBuilder();
    rotated.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: code('C1'), issuesToken: 'AT1', issuesRefresh: 'RT1' });
    rotated.add({ server: 'as', at: 10, done: 11, proof: { jti: 'b' }, grant: refresh('RT1'), issuesToken: 'AT2', issuesRefresh: 'RT2' });
    rotated.add({ server: 'as', at: 20, done: 21, proof: { jti: 'c' }, grant: refresh('RT1'), status: 400, error: 'invalid_grant' });
    expect(noGrantReuse(rotated.input()).message).toMatch(/had already rotated/);
    const parallel = new TraceBuilder();
    parallel.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: code('C1'), issuesToken: 'AT1', issuesRefresh: 'RT1' });
    parallel.add({ server: 'as', at: 10, done: 15, proof: { jti: 'b' }, grant: refresh('RT1'), issuesToken: 'AT2', issuesRefresh: 'RT2' });
    parallel.add({ server: 'as', at: 11, done: 16, proof: { jti: 'c' }, grant: refresh('RT1'), status: 400, error: 'invalid_grant' });
    expect(noGrantReuse(parallel.input()).message).toMatch(/used one refresh token in parallel \(concurrent refreshes\)/);
  });

  it('passes a resend after the server refused the request before the grant was spent (use_dpop_nonce)', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: code('C1'), status: 400, error: 'use_dpop_nonce', nonce: 'N1', key: 'c' });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'b', nonce: 'N1' }, grant: code('C1'), issuesToken: 'AT1', key: 'c' });
    expect(noGrantReuse(b.input()).status).toBe('SUCCESS');
  });

  it('keeps a refresh token the answer did not replace (RFC 6749 §6), and ignores one this run never issued', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a' }, grant: code('C1'), issuesToken: 'AT1', issuesRefresh: 'RT1' });
    b.add({ server: 'as', at: 10, done: 11, proof: { jti: 'b' }, grant: refresh('RT1'), issuesToken: 'AT2' });
    b.add({ server: 'as', at: 20, done: 21, proof: { jti: 'c' }, grant: refresh('RT1'), issuesToken: 'AT3' });
    b.add({ server: 'as', at: 30, done: 31, proof: { jti: 'd' }, grant: refresh('from-an-earlier-run'), status: 400, error: 'invalid_grant' });
    b.add({ server: 'as', at: 40, done: 41, proof: { jti: 'e' }, grant: refresh('from-an-earlier-run'), status: 400, error: 'invalid_grant' });
    expect(noGrantReuse(b.input()).status).toBe('SUCCESS');
  });
});

describe('sep-1932-client-no-cross-origin-credentials (RFC 6750 §5.3)', () => {
  it('fails a token or proof carried to another origin, and the access token sent to a metadata endpoint', () => {
    const elsewhere = new TraceBuilder();
    withToken(elsewhere);
    const hop = elsewhere.add({ at: 10, done: 11, token: 'AT1', proof: { jti: 'a' }, status: 307 });
    const leak = elsewhere.add({ server: 'elsewhere', endpoint: 'other', at: 12, done: 13, url: 'http://127.0.0.1:4000/mcp', token: 'AT1', proof: { jti: 'b' }, status: 404 });
    const r = noCrossOriginCredentials(elsewhere.input());
    expect(r.status).toBe('FAILURE');
    expect(r.message).toMatch(/its Authorization header and a DPoP proof to another origin/);
    expect(r.evidence).toEqual([leak]);
    expect(r.evidence).not.toContain(hop);
    const metadata = new TraceBuilder();
    withToken(metadata);
    metadata.add({ server: 'as', endpoint: 'as-metadata', method: 'GET', at: 10, done: 11, url: `${AS}/.well-known/oauth-authorization-server`, token: 'AT1' });
    expect(noCrossOriginCredentials(metadata.input()).message).toMatch(/the access token to the as-metadata endpoint/);
  });

  it('passes a redirect followed without credentials', () => {
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 11, token: 'AT1', proof: { jti: 'a' }, status: 307 });
    b.add({ server: 'elsewhere', endpoint: 'other', at: 12, done: 13, url: 'http://127.0.0.1:4000/mcp', status: 404 });
    expect(noCrossOriginCredentials(b.input()).status).toBe('SUCCESS');
  });
});

describe('sep-1932-client-dpop-jkt (RFC 9449 §10)', () => {
  function exchange(jkt: string) {
    const b = new TraceBuilder();
    b.add({
      server: 'as',
      endpoint: 'authorize',
      method: 'GET',
      at: 0,
      done: 1,
      url: `${AS}/authorize?client_id=c&dpop_jkt=${KEY}`,
      status: 302,
      responseHeaders: { location: 'http://127.0.0.1:33418/callback?code=C1&state=s' },
    });
    b.add({ server: 'as', at: 2, done: 3, proof: { jti: 'a', jkt }, grant: code('C1'), issuesToken: 'AT1' });
    return b;
  }

  it('passes a code exchange proved with the key dpop_jkt named and fails another key', () => {
    expect(dpopJkt(exchange(KEY).input()).status).toBe('SUCCESS');
    const r = dpopJkt(exchange('another-key').input());
    expect(r).toMatchObject({ status: 'FAILURE', evidence: [0, 1] });
    expect(r.message).toContain(`dpop_jkt named ${KEY}`);
  });

  it('is SKIPPED when no authorization request sent dpop_jkt', () => {
    const b = new TraceBuilder();
    withToken(b);
    expect(dpopJkt(b.input()).status).toBe('SKIPPED');
  });
});

describe('sep-1932-client-advertised-alg severity', () => {
  const psOnly = scheduleWith({ as: { algs: ['PS256'] } });
  function es256(withIssuedToken: boolean) {
    const b = new TraceBuilder();
    if (withIssuedToken) withToken(b);
    b.add({ at: 10, done: 11, token: withIssuedToken ? 'AT1' : 'cached-from-an-earlier-run', proof: { jti: 'a', alg: 'ES256' } });
    return b;
  }

  it('is a FAILURE under sep-1932 and a WARNING under rfc9449', () => {
    expect(advertisedAlg({ ...es256(true).input(), schedule: psOnly }).status).toBe('FAILURE');
    expect(advertisedAlg({ ...es256(true).input({}, { profile: 'rfc9449' }), schedule: psOnly }).status).toBe('WARNING');
  });

  it('does not judge a proof made with a cached key before the client could know the list', () => {
    expect(advertisedAlg({ ...es256(false).input(), schedule: psOnly }).status).toBe('SUCCESS');
  });

  it('lets the client choose when the metadata lists no algs, and still fails none', () => {
    const unlisted = scheduleWith({ as: { algs: null } });
    expect(advertisedAlg({ ...es256(true).input(), schedule: unlisted }).status).toBe('SUCCESS');
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a', alg: 'none' } });
    expect(advertisedAlg({ ...b.input(), schedule: unlisted }).status).toBe('FAILURE');
  });

  it('always fails none and MAC algorithms', () => {
    const b = new TraceBuilder();
    b.add({ server: 'as', at: 0, done: 1, proof: { jti: 'a', alg: 'HS256' } });
    expect(advertisedAlg({ ...b.input({}, { profile: 'rfc9449' }), schedule: scheduleWith({}) }).status).toBe('FAILURE');
  });
});

describe('legal proof spellings strict servers refuse (RFC 7515 §4.1.9 typ)', () => {
  it('are a WARNING in token-request-proof and fresh-proof, never a FAILURE', async () => {
    const { tokenRequestProof } = await import('../../src/checks/token-request-proof.ts');
    const { freshProof } = await import('../../src/checks/fresh-proof.ts');
    const b = new TraceBuilder();
    withToken(b);
    b.add({ at: 10, done: 11, token: 'AT1', proof: { jti: 'a' } });
    const trace = b.trace();
    const note = 'typ application/dpop+jwt is dpop+jwt per RFC 7515 §4.1.9, but servers that compare bytes refuse it; send exactly dpop+jwt';
    const noted = { ...trace, entries: trace.entries.map((e) => (e.proof ? { ...e, proof: { ...e.proof, notes: [note] } } : e)) };
    const input = { ...b.input(), trace: noted };
    expect(tokenRequestProof(input)).toMatchObject({ status: 'WARNING', evidence: [0] });
    expect(freshProof(input)).toMatchObject({ status: 'WARNING', evidence: [1] });
    expect(freshProof(input).message).toContain(note);
    expect(tokenRequestProof(b.input()).status).toBe('SUCCESS');
  });
});
