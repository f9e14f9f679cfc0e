import { claimProblems } from '../dpop/claims.ts';
import type { TraceEntry } from '../trace/types.ts';
import { tokenRequests, verdict } from './_internals/trace-queries.ts';
import type { CheckFn, JudgeOptions } from './types.ts';

/**
 * Problems with the proof of one request, RFC 9449 §4.2/§4.3: presence,
 * exactly one header, structure, and the claims (htu query/fragment is left
 * to sep-1932-client-htm-htu-match).
 */
export function proofProblems(entry: TraceEntry, options: JudgeOptions, ignore: readonly string[] = []): string[] {
  const proof = entry.proof;
  if (proof === null) return ['no DPoP header'];
  const problems = [...proof.problems];
  if (proof.claims !== null) {
    const claims = claimProblems(proof.claims, {
      htm: entry.method,
      htuTarget: entry.htuTarget,
      nowSeconds: entry.receivedAt / 1000,
      iatWindowSeconds: options.iatWindowSeconds,
    });
    for (const p of claims) if (p.code !== 'htu-has-query-or-fragment' && !ignore.includes(p.code)) problems.push(p.message);
  }
  return problems;
}

/**
 * A WARNING for legal proof spellings strict servers refuse (`ProofObservation.notes`),
 * or null when the proofs of `requests` have none.
 */
export function spellingWarning(requests: readonly TraceEntry[]): { message: string; evidence: number[] } | null {
  const noted = requests.filter((e) => (e.proof?.notes?.length ?? 0) > 0);
  const first = noted[0];
  if (!first) return null;
  return { message: `${noted.length} proof(s) are valid but spelled so that strict servers refuse them; #${first.seq}: ${first.proof!.notes!.join('; ')}.`, evidence: noted.map((e) => e.seq) };
}

/** RFC 9449 §5: every token request proves possession of the key, for every grant. */
export const tokenRequestProof: CheckFn = ({ trace, options }) => {
  const id = 'sep-1932-client-token-request-proof';
  const requests = tokenRequests(trace);
  // Only proofs that were sent are judged; why a client never asked for a token is sep-1932-client-completes' finding.
  if (requests.length === 0) return verdict(id, 'SKIPPED', 'The client made no token request.');
  const bad = requests.flatMap((e) => {
    const problems = proofProblems(e, options);
    return problems.length > 0 ? [{ e, problems }] : [];
  });
  const first = bad[0];
  if (first) {
    return verdict(
      id,
      'FAILURE',
      `${bad.length} of ${requests.length} token request(s) had no valid DPoP proof; #${first.e.seq} (${first.e.grant?.type ?? 'no grant'}): ${first.problems.join('; ')}.`,
      bad.map((b) => b.e.seq),
    );
  }
  const spelling = spellingWarning(requests);
  if (spelling) return verdict(id, 'WARNING', spelling.message, spelling.evidence);
  return verdict(id, 'SUCCESS', `All ${requests.length} token request(s) carried a valid DPoP proof.`, requests.map((e) => e.seq));
};
