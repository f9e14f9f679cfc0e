/**
 * Server-side DPoP nonces (RFC 9449 §8, §9, §11.3).
 */

/** RFC 9449 §8.1: `nonce = 1*NQCHAR`, NQCHAR = %x21 / %x23-5B / %x5D-7E (RFC 6749 Appendix A). */
const NONCE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * RFC 9449 §8.1: is `s` a syntactically valid nonce (`1*NQCHAR`)? Excludes
 * space, `"`, `\`, controls and non-ASCII; allows `,` `;` `=` and the like,
 * which is why a `DPoP-Nonce` field value must never be split on commas.
 */
export function isNonceValue(s: string): boolean {
  return typeof s === 'string' && NONCE.test(s);
}

/**
 * The nonces one server (authorization server or resource server) has handed
 * out, in order. RFC 9449 §8.2: the newest nonce is the one clients must use;
 * §11.3: once a server has provided a nonce it MUST NOT accept proofs without
 * one, so only the current nonce is accepted from then on.
 */
export class NonceBook {
  #current: string | null;
  readonly #history: string[];

  /** `initial`: the nonce the server starts with (RFC 9449 §8), or null for none yet. */
  constructor(initial: string | null) {
    this.#current = typeof initial === 'string' ? initial : null;
    this.#history = this.#current === null ? [] : [this.#current];
  }

  /** The nonce the server currently requires (RFC 9449 §8.2: newest wins), or null. */
  get current(): string | null {
    return this.#current;
  }

  /** RFC 9449 §8, §8.2: the server hands out `value`; it replaces the current nonce. */
  issue(value: string): void {
    this.#current = value;
    this.#history.push(value);
  }

  /** Every nonce issued so far, oldest first (repeats included). */
  get history(): readonly string[] {
    return [...this.#history];
  }

  /**
   * RFC 9449 §4.3 check 10 and §11.3: before any nonce exists every proof is
   * accepted (with or without a `nonce` claim); afterwards only a `nonce`
   * claim byte-equal to the current nonce is.
   */
  accepts(value: unknown): boolean {
    return this.#current === null || value === this.#current;
  }

  /**
   * Issuance order of `value` at this server (0 = the first nonce it ever
   * required), or -1 when it never issued it. RFC 9449 §8.2: the nonce
   * issued last is the newest.
   */
  generationOf(value: string): number {
    return this.#history.indexOf(value);
  }

  /** RFC 9449 §9: nonces are only meaningful at the server that issued them. */
  wasIssued(value: string): boolean {
    return this.#history.includes(value);
  }
}
