import type { Context } from 'hono';
import { safeDescription } from '../error-description.ts';

/** RFC 6749 §5.2 error response. */
export function oauthError(c: Context, status: 400 | 401, error: string, description: string, headers: Record<string, string> = {}): Response {
  return c.json({ error, error_description: safeDescription(description) }, status, { 'cache-control': 'no-store', ...headers });
}
