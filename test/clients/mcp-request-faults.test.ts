/**
 * The fault layer of the reference client's MCP requests: with no fault every
 * choice is the RFCs' answer, and each fault changes exactly its own choice.
 */
import { describe, expect, it } from 'vitest';
import { FAULT_NAMES, FaultSet, type FaultName } from '../../src/clients/faults.ts';
import { mcpRequestChoices, type McpRequestChoices } from '../../src/clients/mcp-request-faults.ts';

/** Every choice, evaluated on the inputs that tell the answers apart. */
function answers(choices: McpRequestChoices) {
  return {
    presentedToken: choices.presentedToken('abc=='),
    schemeBeforeRenewal: choices.boundTokenScheme(false),
    schemeAfterRenewal: choices.boundTokenScheme(true),
    nonceInChallengeRetry: choices.nonceInChallengeRetry,
    boundsNonceRetries: choices.boundsNonceRetries,
    reportsInvalidProof: choices.reportsInvalidProof,
    newProofAfterTransient: choices.newProofAfterTransient,
    followsCrossOriginRedirects: choices.followsCrossOriginRedirects,
    keepsNonceOfSuccess: choices.keepsNonce({ ok: true }, null),
    keepsNonceOfChallenge: choices.keepsNonce({ ok: false }, 'use_dpop_nonce'),
    keepsNonceOfOtherError: choices.keepsNonce({ ok: false }, 'invalid_token'),
  };
}

const REFERENCE = {
  presentedToken: 'abc==',
  schemeBeforeRenewal: 'DPoP',
  schemeAfterRenewal: 'DPoP',
  nonceInChallengeRetry: true,
  boundsNonceRetries: true,
  reportsInvalidProof: true,
  newProofAfterTransient: true,
  followsCrossOriginRedirects: false,
  keepsNonceOfSuccess: true,
  keepsNonceOfChallenge: true,
  keepsNonceOfOtherError: true,
};

/** What each fault acting on MCP requests changes; every other fault changes nothing here. */
const CHANGES: Partial<Record<FaultName, Partial<typeof REFERENCE>>> = {
  'strip-token-padding': { presentedToken: 'abc' },
  'bearer-scheme': { schemeBeforeRenewal: 'Bearer', schemeAfterRenewal: 'Bearer' },
  'bearer-after-invalid-token': { schemeAfterRenewal: 'Bearer' },
  'ignore-rs-nonce': { nonceInChallengeRetry: false, keepsNonceOfChallenge: false },
  'unbounded-nonce-retries': { boundsNonceRetries: false },
  'swallow-invalid-proof': { reportsInvalidProof: false },
  'resend-after-transient': { newProofAfterTransient: false },
  'follow-redirect-with-credentials': { followsCrossOriginRedirects: true },
  'ignore-nonce-on-success': { keepsNonceOfSuccess: false },
};

describe('mcpRequestChoices', () => {
  it('makes every choice as the RFCs say with no fault (the reference client)', () => {
    expect(answers(mcpRequestChoices(new FaultSet()))).toEqual(REFERENCE);
  });

  it.each(FAULT_NAMES)('%s changes only its own choices', (fault) => {
    expect(answers(mcpRequestChoices(new FaultSet([fault])))).toEqual({ ...REFERENCE, ...CHANGES[fault] });
  });
});
