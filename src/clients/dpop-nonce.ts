/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9). A nonce is opaque: the whole
 * `DPoP-Nonce` field value is the nonce, echoed byte for byte. It is not an
 * auth-param and may contain `,` `;` `=` `'`, so it is never split or unquoted.
 */

// RFC 9449 §8.1: nonce = 1*NQCHAR; RFC 6749 Appendix A: NQCHAR = %x21 / %x23-5B / %x5D-7E.
const NONCE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether `value` is a syntactically valid nonce (RFC 9449 §8.1). */
export function isNonceValue(value: string): boolean {
  return NONCE.test(value);
}

/** The outcome of reading `DPoP-Nonce` from a response. */
export type DeliveredNonce =
  | { readonly kind: 'none' }
  | { readonly kind: 'nonce'; readonly value: string }
  /** Not 1*NQCHAR, e.g. two header lines joined by `Headers` with ", " (RFC 9449 §8: at most one). */
  | { readonly kind: 'invalid'; readonly raw: string };

/** Reads the `DPoP-Nonce` header of a response verbatim (RFC 9449 §8, §9). */
export function deliveredNonce(response: Response): DeliveredNonce {
  const raw = response.headers.get('dpop-nonce');
  if (raw === null) return { kind: 'none' };
  return isNonceValue(raw) ? { kind: 'nonce', value: raw } : { kind: 'invalid', raw };
}

/**
 * The nonce of one server. RFC 9449 §9: nonces are only accepted by the server
 * that issued them, so the authorization server and the MCP server each get a
 * slot of their own, even on one origin. RFC 9449 §8 intends that a client
 * keeps only one nonce per server: the newest replaces the previous one.
 */
export class NonceSlot {
  private current: string | null = null;

  constructor(readonly server: string) {}

  get value(): string | null {
    return this.current;
  }

  /** Stores a newly delivered nonce; returns true when it differs from the previous one. */
  set(value: string): boolean {
    const changed = value !== this.current;
    this.current = value;
    return changed;
  }
}

/**
 * The client's nonce slots. `per-server` keeps the authorization server's and
 * the MCP server's apart even on one origin (RFC 9449 §9: a nonce is only
 * accepted by the server that issued it); `per-origin` keeps one per origin,
 * the other legal reading when both servers share an origin (§8, §9 speak of
 * "the server", which one origin cannot tell apart).
 */
export class NonceSlots {
  private readonly slots = new Map<string, NonceSlot>();

  constructor(private readonly mode: 'per-server' | 'per-origin') {}

  /** The slot for requests of `server` to `url`. */
  slotFor(server: 'as' | 'mcp', url: string | URL): NonceSlot {
    const key = this.mode === 'per-origin' ? new URL(url).origin : server;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = new NonceSlot(key);
      this.slots.set(key, slot);
    }
    return slot;
  }
}
