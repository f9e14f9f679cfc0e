/**
 * Validation of DPoP proof claim values (RFC 9449 §4.2, §4.3 checks 3, 8, 9,
 * 11 and 12). Pure and synchronous, so the test servers (deciding a response)
 * and the judges (re-checking a recorded trace) apply exactly the same rules.
 * The `nonce` claim is judged with `NonceBook` (nonce.ts).
 */

import type { ProofClaims } from '../trace/types.ts';
import { accessTokenHash } from './ath.ts';
import { hasQueryOrFragment, htuMatches } from './htu.ts';
import { isJsonObject } from './thumbprint.ts';
import { showValue } from './show-value.ts';

/** What the request that carried the proof looked like, and how lenient to be. */
export interface ClaimExpectations {
  /** The request's HTTP method, as received (RFC 9110 §9.1: case-sensitive). */
  htm: string;
  /** RFC 9449 §4.2: the request's target URI (scheme + Host + path). */
  htuTarget: string;
  /** The server's clock, in seconds since the epoch. */
  nowSeconds: number;
  /** Accepted |iat − now| in seconds (RFC 9449 §11.1). */
  iatWindowSeconds: number;
}

export type ClaimProblemCode =
  | 'jti-missing'
  | 'jti-not-string'
  | 'htm-missing'
  | 'htm-mismatch'
  | 'htu-missing'
  | 'htu-mismatch'
  | 'htu-has-query-or-fragment'
  | 'iat-missing'
  | 'iat-not-number'
  | 'iat-out-of-window';

export interface ClaimProblem {
  code: ClaimProblemCode;
  message: string;
}

const show = (value: unknown): string => showValue(value, { max: 80, bare: false });

/** RFC 9449 §4.2 `jti`: present and a non-empty string (an empty one identifies nothing). */
function jtiProblem(claims: ProofClaims): ClaimProblem | null {
  if (!Object.hasOwn(claims, 'jti')) return { code: 'jti-missing', message: 'jti claim is missing' };
  const jti = claims.jti;
  if (typeof jti !== 'string') return { code: 'jti-not-string', message: `jti claim is not a string: ${show(jti)}` };
  if (jti === '') return { code: 'jti-missing', message: 'jti claim is an empty string' };
  return null;
}

/** RFC 9449 §4.3 check 8: `htm` equals the request method exactly (methods are case-sensitive). */
function htmProblem(claims: ProofClaims, method: string): ClaimProblem | null {
  if (!Object.hasOwn(claims, 'htm')) return { code: 'htm-missing', message: 'htm claim is missing' };
  const htm = claims.htm;
  if (htm === method) return null;
  return { code: 'htm-mismatch', message: `htm claim ${show(htm)} does not match the request method ${show(method)}` };
}

/**
 * RFC 9449 §4.2 and §4.3 check 9: `htu` matches the target URI after RFC 3986
 * normalization, ignoring query and fragment; a query or fragment in `htu` is
 * reported on its own, since §4.2 says `htu` has none.
 */
function htuProblems(claims: ProofClaims, target: string): ClaimProblem[] {
  if (!Object.hasOwn(claims, 'htu')) return [{ code: 'htu-missing', message: 'htu claim is missing' }];
  const htu = claims.htu;
  if (typeof htu !== 'string') {
    return [{ code: 'htu-mismatch', message: `htu claim is not a string: ${show(htu)}` }];
  }
  const problems: ClaimProblem[] = [];
  if (hasQueryOrFragment(htu)) {
    problems.push({
      code: 'htu-has-query-or-fragment',
      message: `htu claim ${show(htu)} has a query or fragment (RFC 9449 §4.2 excludes them)`,
    });
  }
  if (!htuMatches(htu, target)) {
    problems.push({ code: 'htu-mismatch', message: `htu claim ${show(htu)} does not match the request URI ${show(target)}` });
  }
  return problems;
}

/** RFC 9449 §4.2 `iat` (RFC 7519 NumericDate, a JSON number) and §4.3 check 11 / §11.1. */
function iatProblem(claims: ProofClaims, now: number, window: number): ClaimProblem | null {
  if (!Object.hasOwn(claims, 'iat')) return { code: 'iat-missing', message: 'iat claim is missing' };
  const iat = claims.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    return { code: 'iat-not-number', message: `iat claim is not a number: ${show(iat)}` };
  }
  const skew = iat - now;
  if (!(Math.abs(skew) <= window)) {
    return {
      code: 'iat-out-of-window',
      message: `iat claim ${iat} is ${Math.abs(skew)}s ${skew < 0 ? 'in the past' : 'in the future'} (window ±${window}s)`,
    };
  }
  return null;
}

/**
 * RFC 9449 §4.2 / §4.3: problems with the required claims `jti`, `htm`, `htu`
 * and `iat` of a proof received with a request described by `expected`.
 * Empty when all pass. Never throws on hostile claim values.
 */
export function claimProblems(claims: ProofClaims, expected: ClaimExpectations): ClaimProblem[] {
  const checked: ProofClaims = isJsonObject(claims) ? claims : {};
  const problems: ClaimProblem[] = [];
  const jti = jtiProblem(checked);
  if (jti !== null) problems.push(jti);
  const htm = htmProblem(checked, expected.htm);
  if (htm !== null) problems.push(htm);
  problems.push(...htuProblems(checked, expected.htuTarget));
  const iat = iatProblem(checked, expected.nowSeconds, expected.iatWindowSeconds);
  if (iat !== null) problems.push(iat);
  return problems;
}

/**
 * RFC 9449 §4.2 and §7 (§4.3 check 12): a proof sent with an access token
 * carries `ath` = base64url(SHA-256(token)). Null when it does.
 */
export function athProblem(claims: ProofClaims, accessToken: string): 'ath-missing' | 'ath-mismatch' | null {
  if (!isJsonObject(claims) || !Object.hasOwn(claims, 'ath')) return 'ath-missing';
  return claims.ath === accessTokenHash(accessToken) ? null : 'ath-mismatch';
}
