import { BASE_SCHEDULE, DEFAULT_CHALLENGE_FORMAT } from './defaults.ts';
import type { McpAction, Redirect, Schedule } from './types.ts';

/** One label per schedule dimension: the behaviour-space coordinates of a run. */
export type ScheduleLabels = Readonly<Record<string, string>>;

function count(n: number): string {
  return n >= 3 ? '3+' : String(n);
}

function redirectLabel(r: Redirect): string {
  if (r === null) return 'none';
  return typeof r === 'number' ? String(r) : `${r.status} cross-origin`;
}

function hasConsecutiveChallenges(actions: readonly McpAction[]): boolean {
  return actions.some((a, i) => a.kind === 'use-dpop-nonce' && actions[i + 1]?.kind === 'use-dpop-nonce');
}

/**
 * Classifies a schedule along every generated dimension, for the coverage
 * statistics printed after a run (how often each behaviour was exercised).
 */
export function scheduleLabels(s: Schedule): ScheduleLabels {
  const mcpActions = [...s.mcp.post, ...s.mcp.get, ...s.mcp.delete];
  const asChallenges = s.as.tokenRequests.filter((a) => a.kind === 'use-dpop-nonce').length;
  const rsChallenges = mcpActions.filter((a) => a.kind === 'use-dpop-nonce').length;
  const transient = mcpActions.flatMap((a) => (a.kind === 'transient' ? [String(a.status)] : []));
  const format = s.mcp.challengeFormat;
  const formatChanges = (Object.keys(DEFAULT_CHALLENGE_FORMAT) as (keyof typeof format)[]).filter((k) => format[k] !== DEFAULT_CHALLENGE_FORMAT[k]);
  const widest = Math.max(0, ...s.plan.map((step) => step.length));
  const es256 = s.as.algs === null ? null : s.as.algs.indexOf('ES256');
  return {
    topology: s.topology,
    'as: initial nonce': s.as.initialNonce === null ? 'no' : 'yes',
    'as: use_dpop_nonce challenges': count(asChallenges),
    'as: nonce on a 200': s.as.tokenRequests.some((a) => a.kind === 'ok-new-nonce') ? 'yes' : 'no',
    'as: invalid_dpop_proof': s.as.tokenRequests.some((a) => a.kind === 'invalid-dpop-proof') ? 'scheduled' : 'no',
    'as: after the list': s.as.then.kind,
    'as: token_type': s.as.tokenType,
    'as: algs': es256 === null ? 'not advertised' : es256 === 0 ? 'ES256 first' : es256 > 0 ? 'ES256 later' : 'no ES256',
    'as: token endpoint': [s.as.tokenPath === BASE_SCHEDULE.as.tokenPath ? 'default path' : 'other path', s.as.tokenQuery === null ? '' : 'query', s.as.tokenRedirect === null ? '' : redirectLabel(s.as.tokenRedirect)].filter(Boolean).join(' + '),
    'as: enforces algs': s.as.enforceAlgs ? 'yes' : 'no',
    'as: access token': s.as.accessTokens.kind,
    'as: token lifetime (s)': String(s.as.tokenLifetime),
    'as: refresh tokens': s.as.refreshTokens ? 'yes' : 'no',
    'mcp: initial nonce': s.mcp.initialNonce === null ? 'no' : 'yes',
    'mcp: use_dpop_nonce challenges': count(rsChallenges),
    'mcp: consecutive challenges': hasConsecutiveChallenges(s.mcp.post) ? 'yes' : 'no',
    'mcp: challenge on GET/DELETE': [...s.mcp.get, ...s.mcp.delete].some((a) => a.kind === 'use-dpop-nonce') ? 'yes' : 'no',
    'mcp: nonce on a 200': mcpActions.some((a) => a.kind === 'ok-new-nonce') ? 'yes' : 'no',
    'mcp: invalid_token': mcpActions.some((a) => a.kind === 'invalid-token') ? 'yes' : 'no',
    'mcp: transient errors': transient.length === 0 ? 'none' : [...new Set(transient)].sort().join('+'),
    'mcp: redirect to another origin': mcpActions.some((a) => a.kind === 'redirect-elsewhere') ? 'yes' : 'no',
    'mcp: after the list': s.mcp.then.kind,
    'mcp: challenge schemes': s.mcp.challenge,
    'mcp: challenge spelling': formatChanges.length === 0 ? 'default' : formatChanges.length === 1 ? '1 variation' : `${count(formatChanges.length)} variations`,
    'mcp: dpop_bound_access_tokens_required': String(s.mcp.boundTokensRequired),
    'mcp: URL': [s.mcp.path === BASE_SCHEDULE.mcp.path ? 'default path' : 'other path', s.mcp.query === null ? '' : 'query'].filter(Boolean).join(' + '),
    'mcp: redirect': redirectLabel(s.mcp.redirect),
    'plan: widest step': count(widest),
    'plan: steps': count(s.plan.length),
    'response delays': s.responseDelays.some((d) => d > 0) ? 'yes' : 'no',
  };
}
