import type { ChallengeFormat, Schedule } from './types.ts';

/** `DPoP error="use_dpop_nonce", error_description="…"` (RFC 9449 §9), after `Bearer …` when both are offered (RFC 9449 §7.2). */
export const DEFAULT_CHALLENGE_FORMAT: ChallengeFormat = {
  schemeCase: 'DPoP',
  errorFirst: true,
  bareError: false,
  spaced: false,
  extraParam: false,
  bearerFirst: true,
  separateHeaders: false,
};

/**
 * The simplest schedule: the servers never challenge, rotate or fail, and the
 * client is asked to list tools and call one. Shrinking aims here.
 */
export const BASE_SCHEDULE: Schedule = {
  version: 1,
  topology: 'separate-origins',
  as: {
    algs: ['ES256'],
    tokenType: 'DPoP',
    tokenPath: '/token',
    tokenQuery: null,
    tokenRedirect: null,
    accessTokens: { kind: 'jwt' },
    initialNonce: null,
    tokenRequests: [],
    then: { kind: 'ok' },
    tokenLifetime: 3600,
    refreshTokens: true,
    enforceAlgs: false,
  },
  mcp: {
    path: '/mcp',
    query: null,
    initialNonce: null,
    post: [],
    get: [],
    delete: [],
    then: { kind: 'ok' },
    challenge: 'DPoP',
    challengeFormat: DEFAULT_CHALLENGE_FORMAT,
    boundTokensRequired: true,
    redirect: null,
  },
  plan: [['tools/list'], ['tools/call']],
  responseDelays: [],
};

type Patch<T> = { readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Patch<T[K]> : T[K] };

/** A schedule that differs from BASE_SCHEDULE only where stated. */
export function scheduleWith(patch: Patch<Schedule>): Schedule {
  return {
    ...BASE_SCHEDULE,
    ...patch,
    version: 1,
    as: { ...BASE_SCHEDULE.as, ...patch.as } as Schedule['as'],
    mcp: { ...BASE_SCHEDULE.mcp, ...patch.mcp } as Schedule['mcp'],
  };
}
