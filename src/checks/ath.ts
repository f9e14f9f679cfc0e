import { athProblem } from '../dpop/claims.ts';
import { mcpRequests, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §4.2, §7: ath is the hash of the token presented with the proof. */
export const ath: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-ath';
  const proofs = mcpRequests(trace).filter((e) => e.authorization.kind === 'credentials' && e.proof?.claims);
  if (proofs.length === 0) return verdict(id, 'SKIPPED', 'No proof was sent together with an access token.');
  const bad = proofs.flatMap((e) => {
    const token = e.authorization.kind === 'credentials' ? e.authorization.token : '';
    const problem = athProblem(e.proof!.claims!, token);
    return problem ? [{ seq: e.seq, problem }] : [];
  });
  const first = bad[0];
  if (first) {
    const what = first.problem === 'ath-missing' ? 'had no ath claim' : 'had an ath that is not base64url(SHA-256(token))';
    return verdict(id, 'FAILURE', `${bad.length} of ${proofs.length} proof(s) sent with a token ${what} (first: #${first.seq}).`, bad.map((b) => b.seq));
  }
  return verdict(id, 'SUCCESS', `ath matched the presented token in all ${proofs.length} proof(s).`, proofs.map((e) => e.seq));
};
