import { BASE_SCHEDULE } from './defaults.ts';
import type { AuthServerSchedule, McpServerSchedule, Schedule } from './types.ts';

/**
 * One setting of a schedule (everything but the action lists and the plan):
 * how it compares with `BASE_SCHEDULE` (`key`: two schedules differ in the
 * setting when their keys differ) and how to put it back to the default.
 */
export interface ScheduleSetting {
  readonly name: string;
  readonly key: (s: Schedule) => unknown;
  readonly reset: (s: Schedule) => Schedule;
}

function asSetting<K extends keyof AuthServerSchedule>(field: K, key: (v: AuthServerSchedule[K]) => unknown = (v) => v): ScheduleSetting {
  return { name: `as.${field}`, key: (s) => key(s.as[field]), reset: (s) => ({ ...s, as: { ...s.as, [field]: BASE_SCHEDULE.as[field] } }) };
}

function mcpSetting<K extends keyof McpServerSchedule>(field: K, key: (v: McpServerSchedule[K]) => unknown = (v) => v): ScheduleSetting {
  return { name: `mcp.${field}`, key: (s) => key(s.mcp[field]), reset: (s) => ({ ...s, mcp: { ...s.mcp, [field]: BASE_SCHEDULE.mcp[field] } }) };
}

/** Which nonce a server starts with, or its `then` rule's nonce prefix, is not an event; having one is. */
const isNull = (v: unknown) => v === null;
const kindOf = (v: { readonly kind: string }) => v.kind;

/** Every setting of a schedule, in document order. */
export const SCHEDULE_SETTINGS: readonly ScheduleSetting[] = [
  { name: 'topology', key: (s) => s.topology, reset: (s) => ({ ...s, topology: BASE_SCHEDULE.topology }) },
  asSetting('algs'),
  asSetting('tokenType'),
  asSetting('tokenPath'),
  asSetting('tokenQuery'),
  asSetting('tokenRedirect'),
  asSetting('accessTokens'),
  asSetting('initialNonce', isNull),
  asSetting('then', kindOf),
  asSetting('tokenLifetime'),
  asSetting('refreshTokens'),
  asSetting('enforceAlgs'),
  mcpSetting('path'),
  mcpSetting('query'),
  mcpSetting('initialNonce', isNull),
  mcpSetting('then', kindOf),
  mcpSetting('challenge'),
  mcpSetting('challengeFormat'),
  mcpSetting('boundTokensRequired'),
  mcpSetting('redirect'),
  { name: 'responseDelays', key: (s) => s.responseDelays.some((d) => d > 0), reset: (s) => ({ ...s, responseDelays: [] }) },
];

/** Whether `s` differs from `BASE_SCHEDULE` in `setting`. */
export function differsFromBase(s: Schedule, setting: ScheduleSetting): boolean {
  return JSON.stringify(setting.key(s)) !== JSON.stringify(setting.key(BASE_SCHEDULE));
}
