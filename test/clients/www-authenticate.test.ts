import { describe, expect, it } from 'vitest';
import { findChallenge, parseWwwAuthenticate } from '../../src/clients/www-authenticate.ts';
import type { Challenge } from '../../src/clients/www-authenticate.ts';

/** A challenge as plain data, for readable expectations. */
function plain(c: Challenge): { scheme: string; token68: string | null; params: Record<string, string> } {
  return { scheme: c.scheme, token68: c.token68, params: Object.fromEntries(c.params) };
}

const parse = (value: string | readonly string[]): ReturnType<typeof plain>[] => parseWwwAuthenticate(value).map(plain);

describe('parseWwwAuthenticate (RFC 9110 §11.6.1)', () => {
  it('splits several challenges in one field value, with a quoted-pair escape', () => {
    // The RFC 9110 §11.6.1 example.
    expect(parse('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"')).toEqual([
      { scheme: 'Newauth', token68: null, params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'Basic', token68: null, params: { realm: 'simple' } },
    ]);
  });

  it('reads a scheme with no parameters followed by a DPoP challenge (RFC 9449 §7.2)', () => {
    expect(parse('Bearer, DPoP algs="ES256 PS256"')).toEqual([
      { scheme: 'Bearer', token68: null, params: {} },
      { scheme: 'DPoP', token68: null, params: { algs: 'ES256 PS256' } },
    ]);
  });

  it('keeps each challenge its own error (RFC 9449 §7.2)', () => {
    expect(parse('Bearer error="invalid_token", error_description="Invalid token", DPoP algs="ES256 PS256"')).toEqual([
      { scheme: 'Bearer', token68: null, params: { error: 'invalid_token', error_description: 'Invalid token' } },
      { scheme: 'DPoP', token68: null, params: { algs: 'ES256 PS256' } },
    ]);
  });

  it('reads the RFC 9449 §7.1 and §9 DPoP challenges', () => {
    expect(parse('DPoP error="invalid_token", error_description="Invalid DPoP key binding", algs="ES256"')).toEqual([
      { scheme: 'DPoP', token68: null, params: { error: 'invalid_token', error_description: 'Invalid DPoP key binding', algs: 'ES256' } },
    ]);
    expect(parse('DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"')).toEqual([
      { scheme: 'DPoP', token68: null, params: { error: 'use_dpop_nonce', error_description: 'Resource server requires nonce in DPoP proof' } },
    ]);
  });

  it('accepts token values as well as quoted strings, and BWS around "="', () => {
    expect(parse('DPoP error=use_dpop_nonce , algs = "ES256"')).toEqual([
      { scheme: 'DPoP', token68: null, params: { error: 'use_dpop_nonce', algs: 'ES256' } },
    ]);
  });

  it('lowercases parameter names and keeps the scheme as sent', () => {
    const [challenge] = parseWwwAuthenticate('dpop ERROR="invalid_token", Resource_Metadata="https://rs.example/.well-known/oauth-protected-resource"');
    expect(challenge?.scheme).toBe('dpop');
    expect(Object.fromEntries(challenge?.params ?? [])).toEqual({
      error: 'invalid_token',
      resource_metadata: 'https://rs.example/.well-known/oauth-protected-resource',
    });
  });

  it('finds a challenge by scheme case-insensitively (RFC 9110 §11.1)', () => {
    const challenges = parseWwwAuthenticate('bearer realm="a", DPOP algs="ES256"');
    expect(findChallenge(challenges, 'DPoP')?.params.get('algs')).toBe('ES256');
    expect(findChallenge(challenges, 'Bearer')?.params.get('realm')).toBe('a');
    expect(findChallenge(challenges, 'Basic')).toBeUndefined();
  });

  it('reads token68 challenges, with and without padding', () => {
    expect(parse('Negotiate a87421000492aa874209af8bc028, Basic dXNlcjpwYXNz==, DPoP algs="ES256"')).toEqual([
      { scheme: 'Negotiate', token68: 'a87421000492aa874209af8bc028', params: {} },
      { scheme: 'Basic', token68: 'dXNlcjpwYXNz==', params: {} },
      { scheme: 'DPoP', token68: null, params: { algs: 'ES256' } },
    ]);
  });

  it('keeps unknown parameters but lets them change nothing else (RFC 9449 §7.1)', () => {
    const withUnknown = parse('DPoP foo="bar, baz", error="use_dpop_nonce", x-ext=1, algs="ES256"');
    expect(withUnknown).toEqual([
      { scheme: 'DPoP', token68: null, params: { foo: 'bar, baz', error: 'use_dpop_nonce', 'x-ext': '1', algs: 'ES256' } },
    ]);
  });

  it('gives the same result for several header lines and for Headers-joined lines', () => {
    const lines = ['Bearer realm="mcp"', 'DPoP error="use_dpop_nonce", algs="ES256 EdDSA"'];
    expect(parse(lines)).toEqual(parse(new Headers(lines.map((l): [string, string] => ['www-authenticate', l])).get('www-authenticate') ?? ''));
    expect(parse(lines).map((c) => c.scheme)).toEqual(['Bearer', 'DPoP']);
  });

  it('keeps the first value of a repeated parameter', () => {
    expect(parse('DPoP error="use_dpop_nonce", error="invalid_token"')[0]?.params).toEqual({ error: 'use_dpop_nonce' });
  });

  it('treats an escaped quote as part of the quoted-string, so an unterminated one swallows the rest', () => {
    expect(parse('Basic realm="unterminated\\", DPoP algs="ES256"')).toEqual([{ scheme: 'Basic', token68: null, params: {} }]);
  });

  it('skips malformed elements without losing the challenges around them', () => {
    expect(parse('@@@, DPoP algs="ES256", =x, error=, ok=1')).toEqual([
      { scheme: 'DPoP', token68: null, params: { algs: 'ES256', ok: '1' } },
    ]);
    expect(parse('DPoP algs="ES256" junk, error="invalid_token"')).toEqual([
      { scheme: 'DPoP', token68: null, params: { error: 'invalid_token' } },
    ]);
  });

  it('parses empty and missing fields as no challenges', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate(' , ,')).toEqual([]);
  });

  it('ignores a parameter before any scheme', () => {
    expect(parse('realm="x", DPoP algs="ES256"')).toEqual([{ scheme: 'DPoP', token68: null, params: { algs: 'ES256' } }]);
  });
});
