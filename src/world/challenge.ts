import type { ChallengeFormat, ChallengeSchemes } from '../schedule/types.ts';
import { DEFAULT_CHALLENGE_FORMAT } from '../schedule/defaults.ts';
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

/**
 * The unknown auth-param of `extraParam` (RFC 9110 §11.2: recipients ignore
 * unknown parameters). Its quoted value holds a comma and an escaped
 * `error="…"`, so a client that splits the field on commas or scans for
 * `error=` reads a wrong error code.
 */
export const EXTRA_PARAM = { name: 'foo', value: 'bar, error="invalid_request"' } as const;

/** RFC 9110 §5.6.4 quoted-string. */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string ). */
function param(name: string, value: string, f: ChallengeFormat): string {
  return f.spaced ? `${name} = ${value}` : `${name}=${value}`;
}

function params(p: ChallengeParams, withAlgs: boolean, f: ChallengeFormat): string[] {
  // Error codes are tokens (RFC 6749 §A.7 / RFC 6750 §3: NQSCHAR without space), so the bare form is valid.
  const error = p.error ? [param('error', f.bareError ? p.error : quote(p.error), f)] : [];
  const list: string[] = [];
  if (f.errorFirst) list.push(...error);
  if (f.extraParam) list.push(param(EXTRA_PARAM.name, quote(EXTRA_PARAM.value), f));
  if (p.description) list.push(param('error_description', quote(safeDescription(p.description)), f));
  if (withAlgs && p.algs.length > 0) list.push(param('algs', quote(p.algs.join(' ')), f));
  list.push(param('resource_metadata', quote(p.resourceMetadata), f));
  if (!f.errorFirst) list.push(...error);
  return list;
}

/** RFC 9110 §11.3: challenge = auth-scheme [ 1*SP #auth-param ]; §5.6.1: OWS around list commas. */
function challenge(scheme: string, list: readonly string[], f: ChallengeFormat): string {
  return f.spaced ? `${scheme}  ${list.join(' ,  ')}` : `${scheme} ${list.join(', ')}`;
}

/**
 * The `WWW-Authenticate` field values for a 401 (RFC 9110 §11.6.1), one
 * string per header field. A nonce or proof error is always carried by the
 * DPoP challenge (RFC 9449 §9, §7.1), next to a plain Bearer challenge when
 * the schedule offers both schemes; otherwise the schedule picks the schemes
 * offered (RFC 9449 §7.2 shows `Bearer, DPoP …` in one field). The format
 * only changes the spelling, never the meaning; the default format gives
 * exactly one field `DPoP error="…", error_description="…", algs="…",
 * resource_metadata="…"` (after `Bearer …, ` when both are offered).
 */
export function buildChallenge(schemes: ChallengeSchemes, p: ChallengeParams, f: ChallengeFormat = DEFAULT_CHALLENGE_FORMAT): string[] {
  // RFC 9110 §11.1: the scheme name is case-insensitive.
  const dpop = challenge(f.schemeCase, params(p, true, f), f);
  const proofProblem = p.error === 'use_dpop_nonce' || p.error === 'invalid_dpop_proof';
  // A nonce or proof error belongs to the DPoP challenge alone; a server that
  // also accepts Bearer still offers it, without the error (RFC 9110 §11.6.1
  // allows several challenges: a client must find the DPoP one).
  if (proofProblem && schemes !== 'DPoP+Bearer') return [dpop];
  const bearer = challenge('Bearer', params(proofProblem ? { resourceMetadata: p.resourceMetadata, algs: [] } : p, false, f), f);
  switch (schemes) {
    case 'DPoP':
      return [dpop];
    case 'Bearer':
      return [bearer];
    case 'DPoP+Bearer': {
      const ordered = f.bearerFirst ? [bearer, dpop] : [dpop, bearer];
      // RFC 9110 §5.3: several fields are equivalent to one comma-joined field.
      return f.separateHeaders ? ordered : [ordered.join(f.spaced ? ' ,  ' : ', ')];
    }
  }
}
