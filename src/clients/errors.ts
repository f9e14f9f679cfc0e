/**
 * Errors the client reports. A failure that a server caused carries the
 * server's OAuth `error` code (RFC 6749 §5.2, RFC 6750 §3.1, RFC 9449 §5, §7.1)
 * so the message tells the maintainer what went wrong.
 */
export class DpopClientError extends Error {
  /** The OAuth `error` code the server answered with, if any. */
  readonly oauthError: string | null;

  constructor(message: string, oauthError: string | null = null) {
    super(message);
    this.name = 'DpopClientError';
    this.oauthError = oauthError;
  }
}

/**
 * Thrown by the `swallow-invalid-proof` fault: the run stops without reporting
 * the failure. Never thrown by the reference client.
 */
export class QuietStop extends Error {
  constructor(reason: string) {
    super(`stopped quietly: ${reason}`);
    this.name = 'QuietStop';
  }
}

/** Formats an OAuth error code and optional description for a message. */
export function describeOAuthError(error: string, description: string | null | undefined): string {
  return description ? `${error} (${description})` : error;
}
