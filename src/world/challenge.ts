import type { ChallengeSchemes } from '../schedule/types.ts';
import { safeDescription } from './error-description.ts';

/** Parameters of one 401 from the MCP server. */
export interface ChallengeParams {
  /** RFC 6750 §3.1 / RFC 9449 §7.1 error code; absent for a request without credentials. */
  readonly error?: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce' | 'invalid_request';
  readonly description?: string;
  /** RFC 9728 §5.1: where the protected resource metadata lives. */
  readonly resourceMetadata: string;
  /** RFC 9449 §7.1: space-delimited algs the server accepts. */
  readonly algs: readonly string[];
}

/** RFC 9110 §5.6.4 quoted-string. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

function params(p: ChallengeParams, withAlgs: boolean): string {
  const list: string[] = [];
  if (p.error) list.push(`error=${quote(p.error)}`);
  if (p.description) list.push(`error_description=${quote(safeDescription(p.description))}`);
  if (withAlgs && p.algs.length > 0) list.push(`algs=${quote(p.algs.join(' '))}`);
  list.push(`resource_metadata=${quote(p.resourceMetadata)}`);
  return list.join(', ');
}

/**
 * The `WWW-Authenticate` value for a 401. A nonce challenge is always a DPoP
 * challenge (RFC 9449 §9); otherwise the schedule picks the schemes offered
 * (RFC 9449 §7.2 shows `Bearer, DPoP …` in one field).
 */
export function buildChallenge(schemes: ChallengeSchemes, p: ChallengeParams): string {
  const dpop = `DPoP ${params(p, true)}`;
  if (p.error === 'use_dpop_nonce' || p.error === 'invalid_dpop_proof') return dpop;
  const bearer = `Bearer ${params(p, false)}`;
  switch (schemes) {
    case 'DPoP':
      return dpop;
    case 'Bearer':
      return bearer;
    case 'DPoP+Bearer':
      return `${bearer}, ${dpop}`;
  }
}
