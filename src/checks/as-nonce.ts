import { judgeNonceRetries } from './_internals/nonce-retry.ts';
import type { CheckFn } from './types.ts';

/** RFC 9449 §8: retry the token request with the authorization server's nonce. */
export const asNonce: CheckFn = ({ trace }) => judgeNonceRetries(trace, 'as', 'sep-1932-client-as-nonce');
