import { mcpRequests, presentedToken, tokenRequests, verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * RFC 9449 §6.1 and §4.3 check 12: resource proofs are signed by the token's
 * cnf.jkt key. §5: a refresh is proved with the key the refresh token was
 * issued to.
 */
export const keyBinding: CheckFn = ({ trace }) => {
  const id = 'sep-1932-client-key-binding';
  const bad: { seq: number; message: string }[] = [];
  let judged = 0;
  for (const e of mcpRequests(trace)) {
    const token = presentedToken(trace, e);
    if (!token || token.jkt === null || !e.proof?.jkt) continue;
    judged++;
    if (e.proof.jkt !== token.jkt) bad.push({ seq: e.seq, message: `#${e.seq} was signed by key ${e.proof.jkt}, the token is bound to ${token.jkt}` });
  }
  for (const e of tokenRequests(trace)) {
    const refresh = e.grant?.refreshToken;
    if (e.grant?.type !== 'refresh_token' || !refresh || !e.proof?.jkt) continue;
    const lineage = trace.tokens.find((t) => t.refreshToken === refresh);
    const issuing = lineage && trace.entries.find((x) => x.seq === lineage.seq);
    const boundTo = issuing?.proof?.jkt;
    if (!boundTo) continue;
    judged++;
    if (e.proof.jkt !== boundTo) bad.push({ seq: e.seq, message: `refresh #${e.seq} was signed by key ${e.proof.jkt}, the refresh token belongs to ${boundTo}` });
  }
  if (judged === 0) return verdict(id, 'SKIPPED', 'No bound token or refresh token was used with a proof.');
  const first = bad[0];
  if (first) return verdict(id, 'FAILURE', `${bad.length} of ${judged} proof(s) used the wrong key; ${first.message}.`, bad.map((b) => b.seq));
  return verdict(id, 'SUCCESS', `All ${judged} proof(s) were signed by the bound key.`);
};
