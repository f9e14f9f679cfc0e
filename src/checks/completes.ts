import { causeOfStop, clientFailed, legitimateStop } from './_internals/liveness.ts';
import { verdict } from './_internals/trace-queries.ts';
import type { CheckFn } from './types.ts';

/**
 * Liveness, judged only where it is fair: a client that failed although every
 * answer of the servers was one a conformant client proceeds from (no error
 * but single nonce challenges, a DPoP token type, ES256 advertised, no
 * redirect…). The finding names where the client stopped, so its cause is
 * visible (a challenge not followed, a token not used) rather than a symptom.
 */
export const completes: CheckFn = ({ trace, schedule, outcome }) => {
  const id = 'sep-1932-client-completes';
  if (!clientFailed(outcome)) return verdict(id, 'SUCCESS', 'The client finished its run (exit 0).');
  const reason = legitimateStop(trace, schedule);
  if (reason !== null) return verdict(id, 'SKIPPED', `The client did not finish, but it had a legitimate reason to stop: ${reason}.`);
  const cause = causeOfStop(trace, outcome);
  return verdict(id, 'FAILURE', `Nothing the servers answered gave the client a reason to stop, yet ${cause.message}.`, cause.evidence);
};
