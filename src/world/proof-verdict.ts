import { athProblem, claimProblems } from '../dpop/claims.ts';
import type { NonceBook } from '../dpop/nonce.ts';
import type { Schedule } from '../schedule/types.ts';
import type { ProofObservation } from '../trace/types.ts';

export type ProofVerdict =
  | { readonly kind: 'valid' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'nonce-required'; readonly nonce: string };

export interface ProofExpectations {
  readonly htm: string;
  readonly htuTarget: string;
  readonly nowSeconds: number;
  readonly iatWindowSeconds: number;
  /** The access token presented with the proof, for `ath` (RFC 9449 §7). */
  readonly accessToken?: string;
  /** The token's `cnf.jkt` (RFC 9449 §6.1), when bound. */
  readonly boundJkt?: string | null;
  /** jtis this server has already accepted (RFC 9449 §11.1 replay detection). */
  readonly seenJtis: Set<string>;
  readonly nonces: NonceBook;
  /** RFC 9449 §5.1: when set, only these algorithms are accepted (`dpop_signing_alg_values_supported`). */
  readonly algs?: readonly string[] | undefined;
}

/**
 * The algorithms both servers accept (RFC 9449 §5.1), or undefined for any:
 * only a schedule that enforces its advertised list restricts them, and one
 * that advertises none has nothing to enforce.
 */
export function enforcedAlgs(schedule: Schedule): readonly string[] | undefined {
  return schedule.as.enforceAlgs && schedule.as.algs !== null ? schedule.as.algs : undefined;
}

/**
 * A server's verification of one proof, RFC 9449 §4.3 checks 1–12, in the
 * order a server would run them. Deliberately lenient where the RFC lets a
 * server be: a query in `htu` is ignored (§4.3 check 9) and, unless the
 * schedule enforces the list (`algs`), algs outside the advertised list are
 * accepted, so that such client mistakes are reported by the judges without
 * derailing the rest of the run.
 */
export function verifyProof(proof: ProofObservation | null, expected: ProofExpectations): ProofVerdict {
  if (proof === null) return { kind: 'invalid', reason: 'missing DPoP proof' };
  const structural = proof.problems[0];
  if (structural !== undefined) return { kind: 'invalid', reason: structural };
  if (proof.claims === null) return { kind: 'invalid', reason: 'claims: not a JSON object' };
  const alg = proof.header?.alg;
  if (expected.algs !== undefined && (typeof alg !== 'string' || !expected.algs.includes(alg))) {
    return { kind: 'invalid', reason: `alg ${String(alg)} is not in dpop_signing_alg_values_supported [${expected.algs.join(', ')}]` };
  }
  const claimIssue = claimProblems(proof.claims, expected).find((p) => p.code !== 'htu-has-query-or-fragment');
  if (claimIssue) return { kind: 'invalid', reason: claimIssue.message };
  if (expected.accessToken !== undefined) {
    const ath = athProblem(proof.claims, expected.accessToken);
    if (ath) return { kind: 'invalid', reason: `${ath}: ath does not match the presented access token` };
  }
  if (expected.boundJkt != null && proof.jkt !== expected.boundJkt) {
    return { kind: 'invalid', reason: 'jkt-mismatch: proof key is not the key the token is bound to' };
  }
  const jti = String(proof.claims.jti);
  if (expected.seenJtis.has(jti)) return { kind: 'invalid', reason: 'jti-replayed: this jti was already used' };
  expected.seenJtis.add(jti);
  // RFC 9449 §11.3: once a nonce was provided, proofs without it are refused.
  const current = expected.nonces.current;
  if (current !== null && !expected.nonces.accepts(proof.claims.nonce)) {
    return { kind: 'nonce-required', nonce: current };
  }
  return { kind: 'valid' };
}
