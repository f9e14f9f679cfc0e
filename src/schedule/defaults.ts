import type { Schedule } from './types.ts';

/**
 * The simplest schedule: the servers never challenge, rotate or fail, and the
 * client is asked to list tools and call one. Shrinking aims here.
 */
export const BASE_SCHEDULE: Schedule = {
  version: 1,
  as: {
    algs: ['ES256'],
    tokenType: 'DPoP',
    tokenPath: '/token',
    initialNonce: null,
    tokenRequests: [],
    then: { kind: 'ok' },
    tokenLifetime: 3600,
    refreshTokens: true,
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
  },
  plan: [['tools/list'], ['tools/call']],
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
