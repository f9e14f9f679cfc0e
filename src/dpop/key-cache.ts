/**
 * A small bounded memo for work that depends only on a public key: a client
 * signs every proof of a run with one key (RFC 9449 §4.2), so importing it and
 * hashing its thumbprint once per key instead of once per request removes most
 * of the servers' cryptographic cost. Entries are evicted oldest first.
 */
export class KeyMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = 256) {}

  /** The memoised value for `key`, computing (and keeping) it on a miss. */
  get(key: string, compute: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return value;
  }
}
