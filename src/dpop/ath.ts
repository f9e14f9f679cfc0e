/**
 * The `ath` claim of a DPoP proof (RFC 9449 §4.2, §7).
 */

import { createHash } from 'node:crypto';

/**
 * RFC 9449 §4.2 `ath`: base64url (RFC 7515 §2, no padding) of the SHA-256
 * hash of the ASCII encoding of the access token. Access tokens are ASCII
 * (RFC 6750 §2.1 b64token); a hostile non-ASCII value is hashed as UTF-8,
 * which is identical for ASCII and never throws.
 */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'utf8').digest('base64url');
}
