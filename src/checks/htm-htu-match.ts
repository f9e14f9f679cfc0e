import { claimProblems } from '../dpop/claims.ts';
import { verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §4.2/§4.3 checks 8–9: htm and htu name this very request. */
export const htmHtuMatch: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-htm-htu-match';
  const proofs = trace.entries.filter((e) => (e.endpoint === 'token' || e.endpoint === 'mcp') && e.proof?.claims);
  if (proofs.length === 0) return verdict(id, 'SKIPPED', 'No decodable DPoP proof was sent.');
  const bad: { seq: number; message: string }[] = [];
  for (const e of proofs) {
    const problems = claimProblems(e.proof!.claims!, { htm: e.method, htuTarget: e.htuTarget, nowSeconds: 0, iatWindowSeconds: Infinity }).filter(
      (p) => p.code === 'htm-mismatch' || p.code === 'htu-mismatch' || p.code === 'htu-has-query-or-fragment',
    );
    if (problems.length > 0) bad.push({ seq: e.seq, message: problems.map((p) => p.message).join('; ') });
  }
  const first = bad[0];
  if (first) return verdict(id, 'FAILURE', `${bad.length} of ${proofs.length} proof(s) named the wrong request; #${first.seq}: ${first.message}.`, bad.map((b) => b.seq));
  return verdict(id, 'SUCCESS', `htm and htu matched the request in all ${proofs.length} proof(s).`, proofs.map((e) => e.seq));
};
