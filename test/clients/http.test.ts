import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_DELAY_MS, MAX_RETRY_DELAY_MS, retryDelayMs, sameOrigin } from '../../src/clients/http.ts';

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
