/**
 * The catalogue of broken clients: each fault of the reference client with the
 * preset that triggers it and the exact check verdicts it must cause. The
 * non-vacuity proof, the judge's golden traces and `npm run bench` (time to
 * catch each one) share it.
 */
import type { CheckId } from '../checks/registry.ts';
import type { CheckStatus } from '../checks/types.ts';
import type { PresetName } from '../schedule/presets.ts';
import type { FaultName } from './faults.ts';

/** fault → the preset that triggers it and the exact set of checks it must fail. */
export const BROKEN_CLIENTS: Record<FaultName, { preset: PresetName; expect: Partial<Record<CheckId, CheckStatus>>; maxRequests?: number }> = {
  'token-proof-typ-jwt': { preset: 'dpop', expect: { 'sep-1932-client-token-request-proof': 'FAILURE' } },
  'bearer-scheme': { preset: 'dpop', expect: { 'sep-1932-client-dpop-auth-scheme': 'FAILURE' } },
  'iat-milliseconds': { preset: 'dpop', expect: { 'sep-1932-client-fresh-proof': 'FAILURE' } },
  'ignore-as-nonce': { preset: 'as-use-dpop-nonce', expect: { 'sep-1932-client-as-nonce': 'FAILURE' } },
  'ignore-rs-nonce': { preset: 'rs-use-dpop-nonce', expect: { 'sep-1932-client-rs-nonce': 'FAILURE' } },
  // Refusing a "dpop" token is a client that stops for no reason: the liveness finding names token_type.
  'token-type-case-sensitive': { preset: 'token-type-lowercase', expect: { 'sep-1932-client-completes': 'FAILURE' } },
  'htu-with-query': { preset: 'mcp-url-query', expect: { 'sep-1932-client-htm-htu-match': 'FAILURE' } },
  'ath-hex': { preset: 'dpop', expect: { 'sep-1932-client-ath': 'FAILURE' } },
  'jti-counter': { preset: 'dpop', expect: { 'sep-1932-client-unique-jti': 'FAILURE' } },
  'ignore-advertised-algs': { preset: 'algs-without-es256', expect: { 'sep-1932-client-advertised-alg': 'FAILURE' } },
  'new-key-per-request': { preset: 'dpop', expect: { 'sep-1932-client-key-binding': 'FAILURE' } },
  'ignore-nonce-on-success': { preset: 'rs-nonce-rotation', expect: { 'sep-1932-client-newest-nonce': 'FAILURE' } },
  'swallow-invalid-proof': { preset: 'as-invalid-dpop-proof', expect: { 'sep-1932-client-invalid-proof-no-blind-retry': 'FAILURE' } },
  // Retrying with Bearer is also, by definition, a Bearer presentation of a bound token.
  'bearer-after-invalid-token': {
    preset: 'rs-invalid-token',
    expect: { 'sep-1932-client-no-fallback-on-invalid-token': 'FAILURE', 'sep-1932-client-dpop-auth-scheme': 'FAILURE' },
  },
  'unbounded-nonce-retries': { preset: 'rs-endless-nonce', expect: { 'sep-1932-client-bounded-retries': 'FAILURE' }, maxRequests: 60 },
  'accept-unknown-token-type': { preset: 'token-type-unknown', expect: { 'sep-1932-client-unknown-token-type': 'FAILURE' } },
  'resend-after-transient': { preset: 'rs-transient-503', expect: { 'sep-1932-client-fresh-proof-on-retry': 'WARNING' } },
  'bearer-token-despite-required': { preset: 'bearer-token-binding-required', expect: { 'sep-1932-client-bound-tokens-required': 'FAILURE' } },
  'dpop-scheme-for-bearer-token': { preset: 'bearer-token-binding-optional', expect: { 'sep-1932-client-dpop-auth-scheme': 'FAILURE' } },
  'reuse-refresh-token': { preset: 'rs-invalid-token-twice', expect: { 'sep-1932-client-no-grant-reuse': 'FAILURE' } },
  'follow-redirect-with-credentials': { preset: 'mcp-redirect-elsewhere', expect: { 'sep-1932-client-no-cross-origin-credentials': 'FAILURE' } },
  'dpop-jkt-other-key': { preset: 'dpop', expect: { 'sep-1932-client-dpop-jkt': 'FAILURE' } },
  'strip-token-padding': { preset: 'opaque-token-padded', expect: { 'sep-1932-client-bound-token-used': 'FAILURE' } },
};
