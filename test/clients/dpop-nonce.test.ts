import { describe, expect, it } from 'vitest';
import { NonceSlot, NonceSlots, deliveredNonce, isNonceValue } from '../../src/clients/dpop-nonce.ts';

// Every NQCHAR (RFC 6749 Appendix A: %x21 / %x23-5B / %x5D-7E).
const ALL_NQCHAR = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => c !== '"' && c !== '\\')
  .join('');

const withNonce = (value: string): Response => new Response(null, { headers: { 'DPoP-Nonce': value } });

describe('isNonceValue (RFC 9449 §8.1)', () => {
  it('accepts every NQCHAR, including , ; = \' that look like header syntax', () => {
    expect(ALL_NQCHAR).toHaveLength(92);
    expect(isNonceValue(ALL_NQCHAR)).toBe(true);
    expect(isNonceValue("eyJ7S_zG.eyJH0-Z.HX4w-7v,a;b=c'd")).toBe(true);
  });

  it('rejects empty values, spaces, quotes, backslashes and non-ASCII', () => {
    for (const bad of ['', 'a b', 'a"b', 'a\\b', 'né', 'a\tb']) expect(isNonceValue(bad)).toBe(false);
  });
});

describe('deliveredNonce (RFC 9449 §8, §9)', () => {
  it('returns the header value verbatim, never split or unquoted', () => {
    for (const value of [ALL_NQCHAR, 'a,b', "x;y=z'", '"quoted"'.replaceAll('"', "'"), '=,=,=']) {
      expect(deliveredNonce(withNonce(value))).toEqual({ kind: 'nonce', value });
    }
  });

  it('reports no nonce when the header is absent', () => {
    expect(deliveredNonce(new Response(null))).toEqual({ kind: 'none' });
  });

  it('flags two DPoP-Nonce fields joined by Headers as invalid (RFC 9449 §8: at most one)', () => {
    const response = new Response(null, { headers: [['DPoP-Nonce', 'n1'], ['DPoP-Nonce', 'n2']] });
    expect(deliveredNonce(response)).toEqual({ kind: 'invalid', raw: 'n1, n2' });
  });
});

describe('NonceSlot', () => {
  it('keeps only the newest nonce (RFC 9449 §8.2)', () => {
    const slot = new NonceSlot('mcp');
    expect(slot.value).toBeNull();
    expect(slot.set('n1')).toBe(true);
    expect(slot.set('n1')).toBe(false);
    expect(slot.set('n2')).toBe(true);
    expect(slot.value).toBe('n2');
  });
});

describe('NonceSlots (RFC 9449 §8, §9)', () => {
  it('per-server: the authorization server and the MCP server keep separate nonces, even on one origin', () => {
    const slots = new NonceSlots('per-server');
    expect(slots.slotFor('as', 'http://127.0.0.1:9/token')).not.toBe(slots.slotFor('mcp', 'http://127.0.0.1:9/mcp'));
    expect(slots.slotFor('mcp', 'http://127.0.0.1:9/mcp')).toBe(slots.slotFor('mcp', 'http://127.0.0.1:8/other'));
  });

  it('per-origin: one nonce per origin, whichever server asks', () => {
    const slots = new NonceSlots('per-origin');
    expect(slots.slotFor('as', 'http://127.0.0.1:9/token')).toBe(slots.slotFor('mcp', 'http://127.0.0.1:9/mcp'));
    expect(slots.slotFor('mcp', 'http://127.0.0.1:9/mcp')).not.toBe(slots.slotFor('mcp', 'http://127.0.0.1:8/mcp'));
  });
});
