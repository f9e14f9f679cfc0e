/**
 * A parser for `WWW-Authenticate` field values (RFC 9110 §11.6.1):
 *
 *   WWW-Authenticate = #challenge
 *   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param       = token BWS "=" BWS ( token / quoted-string )
 *
 * One field value can hold several challenges, and each challenge a
 * comma-separated list of parameters, so a comma alone does not tell where a
 * challenge ends: an element of the form `token BWS "="` is a parameter of the
 * current challenge, any other element starts a new challenge. Malformed
 * elements are skipped rather than failing the whole field, so one odd
 * challenge cannot hide the DPoP one.
 */

export interface Challenge {
  /** The auth-scheme as sent; compare it case-insensitively (RFC 9110 §11.1). */
  readonly scheme: string;
  /** The token68 form of the challenge, when it has one instead of parameters. */
  readonly token68: string | null;
  /**
   * The auth-params, names lowercased (RFC 9110 §11.2: case-insensitive),
   * quoted-string values unescaped. A name must occur only once per challenge;
   * if it repeats, the first value is kept.
   */
  readonly params: ReadonlyMap<string, string>;
}

interface MutableChallenge {
  scheme: string;
  token68: string | null;
  params: Map<string, string>;
}

// RFC 9110 §5.6.2: tchar.
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;
// RFC 9110 §11.2: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const TOKEN68_CHAR = /^[A-Za-z0-9\-._~+/]$/;

class Cursor {
  pos = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.pos);
  }

  /** Skips SP / HTAB (RFC 9110 §5.6.3 OWS, BWS); returns how many were skipped. */
  skipWhitespace(): number {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos - start;
  }

  /** Skips whitespace and empty list elements (RFC 9110 §5.6.1). */
  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.pos++;
  }

  readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (!this.done && pattern.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  readToken(): string {
    return this.readWhile(TCHAR);
  }

  readToken68(): string {
    const body = this.readWhile(TOKEN68_CHAR);
    if (body === '') return '';
    return body + this.readWhile(/^=$/);
  }

  /** RFC 9110 §5.6.4: quoted-string with quoted-pair escapes; null when unterminated. */
  readQuotedString(): string | null {
    if (this.peek() !== '"') return null;
    this.pos++;
    let value = '';
    while (!this.done) {
      const c = this.peek();
      this.pos++;
      if (c === '"') return value;
      if (c === '\\') {
        if (this.done) return null;
        value += this.peek();
        this.pos++;
      } else {
        value += c;
      }
    }
    return null;
  }

  /** Skips the rest of a malformed list element, up to the next comma outside quotes. */
  skipElement(): void {
    let quoted = false;
    while (!this.done) {
      const c = this.peek();
      if (quoted && c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) return;
      this.pos++;
    }
  }
}

/**
 * Parses one or more `WWW-Authenticate` field values into challenges, in
 * order (RFC 9110 §11.6.1). Several header lines may be passed separately or
 * already joined with ", " as `Headers.get()` does; both give the same result.
 */
export function parseWwwAuthenticate(fieldValues: string | readonly string[] | null | undefined): Challenge[] {
  if (fieldValues === null || fieldValues === undefined) return [];
  const text = typeof fieldValues === 'string' ? fieldValues : fieldValues.join(', ');
  const cursor = new Cursor(text);
  const challenges: MutableChallenge[] = [];
  // The challenge that parameters attach to; null after a token68 challenge
  // or before the first scheme, where a parameter has no owner.
  let current: MutableChallenge | null = null;

  for (;;) {
    cursor.skipSeparators();
    if (cursor.done) break;

    const name = cursor.readToken();
    if (name === '') {
      cursor.skipElement();
      continue;
    }
    const spaces = cursor.skipWhitespace();

    if (cursor.peek() === '=') {
      // `token BWS "=" BWS ( token / quoted-string )`: a parameter.
      cursor.pos++;
      cursor.skipWhitespace();
      const value = cursor.peek() === '"' ? cursor.readQuotedString() : cursor.readToken();
      cursor.skipWhitespace();
      const wellFormed = value !== null && value !== '' && (cursor.done || cursor.peek() === ',');
      if (!wellFormed) {
        cursor.skipElement();
        continue;
      }
      const key = name.toLowerCase();
      if (current !== null && !current.params.has(key)) current.params.set(key, value);
      continue;
    }

    // Anything else starts a new challenge.
    current = { scheme: name, token68: null, params: new Map() };
    challenges.push(current);
    if (spaces === 0 || cursor.done || cursor.peek() === ',') continue;

    // `auth-scheme 1*SP token68`, when the whole element is one token68;
    // otherwise rewind and read the parameters in the next iterations.
    const start = cursor.pos;
    const token68 = cursor.readToken68();
    cursor.skipWhitespace();
    if (token68 !== '' && (cursor.done || cursor.peek() === ',')) {
      current.token68 = token68;
      current = null;
      continue;
    }
    cursor.pos = start;
  }

  return challenges;
}

/** The first challenge with the given auth-scheme, compared case-insensitively (RFC 9110 §11.1). */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((c) => c.scheme.toLowerCase() === wanted);
}

/** Parses the `WWW-Authenticate` header of a response (RFC 9110 §11.6.1). */
export function challengesOf(response: Response): Challenge[] {
  return parseWwwAuthenticate(response.headers.get('www-authenticate'));
}
