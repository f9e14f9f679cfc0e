/**
 * runKey keeps an RSA key for the process, but not a failed generation: the
 * next run tries again instead of inheriting the failure for good. jose's key
 * generation is made to fail once (its own module, mocked in this file only).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const failures = vi.hoisted(() => ({ left: 0 }));

vi.mock('jose', async (importOriginal) => {
  const jose = await importOriginal<typeof import('jose')>();
  return {
    ...jose,
    generateKeyPair: (...args: Parameters<typeof jose.generateKeyPair>) => {
      if (failures.left > 0) {
        failures.left--;
        return Promise.reject(new Error('no entropy today'));
      }
      return jose.generateKeyPair(...args);
    },
  };
});

const { runKey } = await import('../../src/clients/dpop-key.ts');

afterEach(() => {
  failures.left = 0;
});

describe('runKey after a failed RSA key generation', () => {
  it('fails that run, and generates (and then keeps) a key in the next', async () => {
    failures.left = 1;
    await expect(runKey('RS256')).rejects.toThrow('no entropy today');
    const key = await runKey('RS256');
    expect(key.alg).toBe('RS256');
    expect(await runKey('RS256')).toBe(key);
  });
});
