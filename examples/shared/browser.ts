/**
 * The user agent's part of the authorization code flow, for clients that run
 * without a browser: the test authorization server approves at once and
 * answers the authorization request with a redirect to the client's
 * `redirect_uri`, whose query is the authorization response.
 */

/** The registered redirect URI. Nothing listens here: the response is read from the `Location` header. */
export const REDIRECT_URL = 'http://127.0.0.1:1/callback';

/**
 * Plays the browser: one GET of the authorization URL (RFC 6749 §4.1.1),
 * redirect not followed, and returns the URL the authorization server sent the
 * user agent back to (RFC 6749 §4.1.2), `code`, `state` and `iss` in its
 * query. Checking them is the OAuth library's job.
 */
export async function playBrowser(authorizationUrl: URL, fetch: typeof globalThis.fetch): Promise<URL> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status < 300 || response.status > 399 || location === null) {
    throw new Error(`authorization endpoint answered ${response.status} without a redirect`);
  }
  return new URL(location, authorizationUrl);
}
