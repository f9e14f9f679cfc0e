import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAY_MS, MAX_REDIRECTS, MAX_RETRY_DELAY_MS, redirectToFollow, retryDelayMs, sameOrigin } from '../../src/clients/http.ts';

describe('retryDelayMs (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('uses delay-seconds, capped', () => {
    expect(retryDelayMs('0', now)).toBe(0);
    expect(retryDelayMs('1', now)).toBe(1000);
    expect(retryDelayMs('120', now)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('uses an HTTP-date relative to now, never negative', () => {
    expect(retryDelayMs('Wed, 01 Jan 2025 00:00:00 GMT', now - 500)).toBe(500);
    expect(retryDelayMs('Wed, 01 Jan 2025 00:00:00 GMT', now + 5000)).toBe(0);
  });

  it('falls back to the default when absent or invalid', () => {
    expect(retryDelayMs(null, now)).toBe(DEFAULT_RETRY_DELAY_MS);
    expect(retryDelayMs('soon', now)).toBe(DEFAULT_RETRY_DELAY_MS);
    expect(retryDelayMs('-1', now)).toBe(DEFAULT_RETRY_DELAY_MS);
  });
});

describe('sameOrigin (RFC 6454 §4)', () => {
  it('compares scheme, host and port', () => {
    expect(sameOrigin('http://127.0.0.1:80/a', 'http://127.0.0.1/b')).toBe(true);
    expect(sameOrigin('http://127.0.0.1:8080/a', 'http://127.0.0.1:8081/a')).toBe(false);
    expect(sameOrigin('http://localhost/a', 'https://localhost/a')).toBe(false);
  });
});

describe('redirectToFollow (RFC 9110 §15.4.8, §15.4.9; RFC 6454)', () => {
  const from = new URL('http://127.0.0.1:8080/mcp?tenant=a');
  const redirect = (location: string | null, status = 307): Response =>
    new Response(null, { status, headers: location === null ? {} : { location } });

  it('resolves a relative Location against the request URL, keeping its query', () => {
    expect(redirectToFollow(redirect('/mcp/moved?tenant=a'), from, 0)).toEqual({ target: new URL('http://127.0.0.1:8080/mcp/moved?tenant=a') });
    expect(redirectToFollow(redirect('moved', 308), from, MAX_REDIRECTS - 1)).toEqual({ target: new URL('http://127.0.0.1:8080/moved') });
  });

  it('refuses another origin, a missing Location and more than MAX_REDIRECTS hops', () => {
    expect(redirectToFollow(redirect('http://127.0.0.1:8081/mcp'), from, 0)).toEqual({ refused: expect.stringMatching(/another origin, http:\/\/127\.0\.0\.1:8081/) });
    expect(redirectToFollow(redirect('//evil.example/mcp'), from, 0)).toEqual({ refused: expect.stringMatching(/another origin/) });
    expect(redirectToFollow(redirect(null), from, 0)).toEqual({ refused: expect.stringMatching(/without a usable Location/) });
    expect(redirectToFollow(redirect('/mcp/moved'), from, MAX_REDIRECTS)).toEqual({ refused: `more than ${MAX_REDIRECTS} redirects` });
  });
});
