import fc from 'fast-check';
import { POLICY_CHOICES } from './policy.ts';
import type { ClientPolicy } from './policy.ts';

/**
 * Every combination of the reference client's legal choices (`ClientPolicy`),
 * shrinking towards the default of each knob. Fuzzing the reference client
 * with random policies makes the space of conformant behaviour a dimension:
 * whatever a policy chooses, no MUST check may fail.
 */
export function policyArbitrary(): fc.Arbitrary<ClientPolicy> {
  const knob = <K extends keyof ClientPolicy>(name: K): fc.Arbitrary<ClientPolicy[K]> => fc.constantFrom(...POLICY_CHOICES[name]);
  return fc.record({
    nonceSlots: knob('nonceSlots'),
    nonceRetries: knob('nonceRetries'),
    bearerTokens: knob('bearerTokens'),
    renewal: knob('renewal'),
    renewWith: knob('renewWith'),
    steps: knob('steps'),
    redirects: knob('redirects'),
    algs: knob('algs'),
    tokenCache: knob('tokenCache'),
    dpopJkt: knob('dpopJkt'),
    resourceCheck: knob('resourceCheck'),
    bearerChallenge: knob('bearerChallenge'),
  });
}
