import { advertisedAlg } from './advertised-alg.ts';
import { asNonce } from './as-nonce.ts';
import { ath } from './ath.ts';
import { boundTokenUsed } from './bound-token-used.ts';
import { boundTokensRequired } from './bound-tokens-required.ts';
import { boundedRetries } from './bounded-retries.ts';
import { completes } from './completes.ts';
import { dpopJkt } from './dpop-jkt.ts';
import { dpopAuthScheme } from './dpop-auth-scheme.ts';
import { freshProofOnRetry } from './fresh-proof-on-retry.ts';
import { freshProof } from './fresh-proof.ts';
import { htmHtuMatch } from './htm-htu-match.ts';
import { invalidProofNoBlindRetry } from './invalid-proof-no-blind-retry.ts';
import { keyBinding } from './key-binding.ts';
import { newestNonce } from './newest-nonce.ts';
import { noCrossOriginCredentials } from './no-cross-origin-credentials.ts';
import { noFallbackOnInvalidToken } from './no-fallback-on-invalid-token.ts';
import { noGrantReuse } from './no-grant-reuse.ts';
import type { CheckId } from './registry.ts';
import { CHECK_IDS } from './registry.ts';
import { rsNonce } from './rs-nonce.ts';
import { tokenRequestProof } from './token-request-proof.ts';
import type { CheckFn, CheckResult, JudgeInput } from './types.ts';
import { uniqueJti } from './unique-jti.ts';
import { unknownTokenType } from './unknown-token-type.ts';

/** The judging function of every check in the catalogue. */
export const CHECK_FUNCTIONS: Readonly<Record<CheckId, CheckFn>> = {
  'sep-1932-client-token-request-proof': tokenRequestProof,
  'sep-1932-client-dpop-auth-scheme': dpopAuthScheme,
  'sep-1932-client-fresh-proof': freshProof,
  'sep-1932-client-as-nonce': asNonce,
  'sep-1932-client-rs-nonce': rsNonce,
  'sep-1932-client-bound-token-used': boundTokenUsed,
  'sep-1932-client-htm-htu-match': htmHtuMatch,
  'sep-1932-client-ath': ath,
  'sep-1932-client-unique-jti': uniqueJti,
  'sep-1932-client-advertised-alg': advertisedAlg,
  'sep-1932-client-key-binding': keyBinding,
  'sep-1932-client-newest-nonce': newestNonce,
  'sep-1932-client-invalid-proof-no-blind-retry': invalidProofNoBlindRetry,
  'sep-1932-client-no-fallback-on-invalid-token': noFallbackOnInvalidToken,
  'sep-1932-client-bounded-retries': boundedRetries,
  'sep-1932-client-unknown-token-type': unknownTokenType,
  'sep-1932-client-fresh-proof-on-retry': freshProofOnRetry,
  'sep-1932-client-completes': completes,
  'sep-1932-client-bound-tokens-required': boundTokensRequired,
  'sep-1932-client-no-grant-reuse': noGrantReuse,
  'sep-1932-client-no-cross-origin-credentials': noCrossOriginCredentials,
  'sep-1932-client-dpop-jkt': dpopJkt,
};

/** Runs the selected checks (all by default) in catalogue order. Pure: same input, same results. */
export function judge(input: JudgeInput, only: readonly CheckId[] = CHECK_IDS): CheckResult[] {
  return CHECK_IDS.filter((id) => only.includes(id)).map((id) => CHECK_FUNCTIONS[id](input));
}
