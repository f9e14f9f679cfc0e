import { scheduleWith } from './defaults.ts';
import type { Schedule } from './types.ts';

export interface Preset {
  readonly description: string;
  readonly schedule: Schedule;
}

/**
 * Named schedules a maintainer can run without writing JSON: the official
 * suite's two postures, and one per server rule a client must cope with.
 */
export const PRESETS = {
  dpop: {
    description: 'Baseline (official auth/dpop posture): no nonces, no errors.',
    schedule: scheduleWith({}),
  },
  'dpop-nonce': {
    description: 'Official auth/dpop-nonce posture: both servers demand a nonce from the first request (RFC 9449 §8, §9).',
    schedule: scheduleWith({ as: { initialNonce: 'as-nonce-0' }, mcp: { initialNonce: 'rs-nonce-0' } }),
  },
  'as-use-dpop-nonce': {
    description: 'The token endpoint answers the first token request with 400 use_dpop_nonce (RFC 9449 §8).',
    schedule: scheduleWith({ as: { tokenRequests: [{ kind: 'use-dpop-nonce', nonce: 'as:n1,=;' }] } }),
  },
  'as-nonce-on-success': {
    description: 'The token endpoint supplies a new nonce on a 200 (RFC 9449 §8.2); an invalid_token then forces a refresh, which must carry it.',
    schedule: scheduleWith({
      as: { tokenRequests: [{ kind: 'ok-new-nonce', nonce: 'as-fresh-1' }] },
      mcp: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }] },
    }),
  },
  'as-invalid-dpop-proof': {
    description: 'The token endpoint rejects every token request with 400 invalid_dpop_proof (RFC 9449 §5): the client must fail loudly.',
    schedule: scheduleWith({ as: { then: { kind: 'invalid-dpop-proof' } } }),
  },
  'as-endless-nonce': {
    description: 'The token endpoint challenges every token request with a new nonce: the client must give up (bounded retries).',
    schedule: scheduleWith({ as: { then: { kind: 'use-dpop-nonce', noncePrefix: 'as-endless-' } } }),
  },
  'rs-use-dpop-nonce': {
    description: 'The MCP server answers the second authenticated POST with 401 use_dpop_nonce (RFC 9449 §9).',
    schedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: "rs'n1;a=b,c" }] } }),
  },
  'rs-nonce-rotation': {
    description: 'The MCP server demands a nonce, then rotates it on the initialize response (RFC 9449 §9, §8.2).',
    schedule: scheduleWith({ mcp: { initialNonce: 'rs-old', post: [{ kind: 'ok-new-nonce', nonce: 'rs-new' }] } }),
  },
  'rs-concurrent-rotation': {
    description: 'Concurrent requests while the MCP server demands a nonce and rotates it once per step, on a success and on a challenge (RFC 9449 §9, §8.2).',
    schedule: scheduleWith({
      mcp: {
        initialNonce: 'cc-0',
        // initialize, notifications/initialized, then one rotation inside each concurrent step.
        post: [{ kind: 'ok' }, { kind: 'ok' }, { kind: 'ok-new-nonce', nonce: 'cc-1' }, { kind: 'ok' }, { kind: 'ok' }, { kind: 'ok' }, { kind: 'use-dpop-nonce', nonce: 'cc-2' }],
      },
      plan: [['tools/list', 'tools/call', 'ping'], ['tools/call', 'tools/list'], ['ping']],
    }),
  },
  'rs-endless-nonce': {
    description: 'The MCP server challenges every authenticated request with a new nonce: the client must give up (bounded retries).',
    schedule: scheduleWith({ mcp: { then: { kind: 'use-dpop-nonce', noncePrefix: 'rs-endless-' } } }),
  },
  'rs-invalid-token': {
    description: 'The MCP server answers the second authenticated POST with 401 invalid_token (RFC 6750 §3.1).',
    schedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }] } }),
  },
  'rs-transient-503': {
    description: 'The MCP server answers the third authenticated POST with 503 and Retry-After: 0 (RFC 9449 §7.3).',
    schedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'ok' }, { kind: 'transient', status: 503, retryAfter: 0 }] } }),
  },
  'rs-transient-429': {
    description: 'The MCP server answers the third authenticated POST with 429 (RFC 9449 §7.3).',
    schedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'ok' }, { kind: 'transient', status: 429 }] } }),
  },
  'token-type-lowercase': {
    description: 'The token endpoint answers token_type "dpop" (RFC 6749 §5.1: case-insensitive).',
    schedule: scheduleWith({ as: { tokenType: 'dpop' } }),
  },
  'token-type-uppercase': {
    description: 'The token endpoint answers token_type "DPOP".',
    schedule: scheduleWith({ as: { tokenType: 'DPOP' } }),
  },
  'token-type-unknown': {
    description: 'The token endpoint answers an unknown token_type "N_A" (RFC 6749 §7.1: must not be used).',
    schedule: scheduleWith({ as: { tokenType: 'N_A' } }),
  },
  'algs-without-es256': {
    description: 'The servers advertise only EdDSA and PS256 (RFC 9449 §5.1).',
    schedule: scheduleWith({ as: { algs: ['EdDSA', 'PS256'] } }),
  },
  'algs-not-advertised': {
    description: 'Neither metadata document lists dpop_signing_alg_values_supported (OPTIONAL, RFC 9449 §5.1): the client signs with its default.',
    schedule: scheduleWith({ as: { algs: null } }),
  },
  'mcp-url-query': {
    description: 'The MCP URL carries a query string, which htu must not (RFC 9449 §4.2).',
    schedule: scheduleWith({ mcp: { query: 'tenant=a&x=%7E1' } }),
  },
  'bearer-token-binding-required': {
    description: 'The authorization server declines to bind (token_type Bearer) but the resource metadata requires DPoP-bound tokens (RFC 9728 §2): the client must not present the token; the MCP server refuses it.',
    schedule: scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: true } }),
  },
  'bearer-token-binding-optional': {
    description: 'The authorization server declines to bind (token_type Bearer) and the resource does not require binding: a client may use the token as a bearer token (RFC 9449 §5, RFC 6750) or refuse it.',
    schedule: scheduleWith({ as: { tokenType: 'Bearer' }, mcp: { boundTokensRequired: false, post: [{ kind: 'use-dpop-nonce', nonce: 'rs-bearer-1' }] } }),
  },
  'rs-invalid-token-twice': {
    description: 'The MCP server answers two POSTs with 401 invalid_token, so the client renews twice; a rotated refresh token must not come back (RFC 6749 §6, RFC 9700 §4.14.2).',
    schedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'invalid-token' }, { kind: 'ok' }, { kind: 'invalid-token' }] } }),
  },
  'mcp-redirect-elsewhere': {
    description: 'The MCP server answers an authenticated POST with 307 to another origin: no token, proof or nonce may follow it (RFC 6750 §5.3).',
    schedule: scheduleWith({ mcp: { post: [{ kind: 'ok' }, { kind: 'redirect-elsewhere', status: 307 }] } }),
  },
  'token-redirect-elsewhere': {
    description: 'The advertised token endpoint answers 308 to another origin: the token request, its proof and the code must not follow (RFC 6750 §5.3, RFC 9449 §5).',
    schedule: scheduleWith({ as: { tokenRedirect: { status: 308, crossOrigin: true } } }),
  },
  'algs-enforced': {
    description: 'Both servers advertise only EdDSA and PS256 and refuse proofs signed with anything else (RFC 9449 §5.1).',
    schedule: scheduleWith({ as: { algs: ['EdDSA', 'PS256'], enforceAlgs: true } }),
  },
  'opaque-token-padded': {
    description: 'Opaque access tokens that end in "==" and contain "+" and "/" (RFC 6750 §2.1 b64token): presented byte for byte.',
    schedule: scheduleWith({ as: { accessTokens: { kind: 'opaque', stem: 'a+b/c~', padding: 2 } } }),
  },
  'bearer-and-dpop-challenge': {
    description: 'The MCP server offers both Bearer and DPoP challenges in one WWW-Authenticate (RFC 9449 §7.2).',
    schedule: scheduleWith({ mcp: { challenge: 'DPoP+Bearer', post: [{ kind: 'ok' }, { kind: 'invalid-token' }] } }),
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}
