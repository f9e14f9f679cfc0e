import { readJsonFile } from '../io/read-json-file.ts';
import { z } from 'zod';
import { pathCollisions } from './served-paths.ts';
import { BASE_SCHEDULE, DEFAULT_CHALLENGE_FORMAT } from './defaults.ts';
import type { Schedule } from './types.ts';

/** A schedule that cannot be used, with a message that says where and why. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

// RFC 9449 §8.1: nonce = 1*NQCHAR; NQCHAR = %x21 / %x23-5B / %x5D-7E.
const nonce = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be 1*NQCHAR (RFC 9449 §8.1): printable ASCII without space, " or \\');
const path = z.string().regex(/^\/[\x21-\x7E]*$/, 'must start with / and contain only printable ASCII').refine((p) => !p.includes('?') && !p.includes('#'), 'must not contain ? or #');
// RFC 6749 §5.1 / A.13: token-type = type-name / URI-reference.
const tokenType = z.string().min(1).max(100).regex(/^[\x21-\x7E]+$/, 'must be printable ASCII');
const query = z.string().regex(/^[\x21-\x7E]*$/, 'must be printable ASCII').refine((q) => !q.includes('#'), 'must not contain #');
// RFC 9110 §15.4.8 / §15.4.9: the redirects that keep method and body, same-origin or to another origin.
const redirectStatus = z.union([z.literal(307), z.literal(308)], { error: 'must be 307 or 308' });
const redirect = z.union([redirectStatus, z.null(), z.strictObject({ status: redirectStatus, crossOrigin: z.literal(true) })], {
  error: 'must be 307, 308, {"status": 307|308, "crossOrigin": true} or null',
});
// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
const stem = z
  .string()
  .min(1, 'must be 1 to 64 characters')
  .max(64, 'must be 1 to 64 characters')
  .regex(/^[A-Za-z0-9\-._~+/]*$/, 'must use only b64token characters A-Z a-z 0-9 - . _ ~ + / (RFC 6750 §2.1)');

// Fields added after the first schedule format default to BASE_SCHEDULE, so older files stay valid.
const base = BASE_SCHEDULE;
const challengeFormat = z.strictObject({
  schemeCase: z.enum(['DPoP', 'dpop', 'DPOP']).default(DEFAULT_CHALLENGE_FORMAT.schemeCase),
  errorFirst: z.boolean().default(DEFAULT_CHALLENGE_FORMAT.errorFirst),
  bareError: z.boolean().default(DEFAULT_CHALLENGE_FORMAT.bareError),
  spaced: z.boolean().default(DEFAULT_CHALLENGE_FORMAT.spaced),
  extraParam: z.boolean().default(DEFAULT_CHALLENGE_FORMAT.extraParam),
  bearerFirst: z.boolean().default(DEFAULT_CHALLENGE_FORMAT.bearerFirst),
  separateHeaders: z.boolean().default(DEFAULT_CHALLENGE_FORMAT.separateHeaders),
});
const accessTokens = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('jwt') }),
  z.strictObject({ kind: z.literal('opaque'), stem, padding: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: 'must be 0, 1 or 2' }) }),
]);

const tokenAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ok') }),
  z.strictObject({ kind: z.literal('ok-new-nonce'), nonce }),
  z.strictObject({ kind: z.literal('use-dpop-nonce'), nonce }),
  z.strictObject({ kind: z.literal('invalid-dpop-proof') }),
]);

const mcpAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('ok') }),
  z.strictObject({ kind: z.literal('ok-new-nonce'), nonce }),
  z.strictObject({ kind: z.literal('use-dpop-nonce'), nonce }),
  z.strictObject({ kind: z.literal('invalid-token') }),
  z.strictObject({ kind: z.literal('transient'), status: z.union([z.literal(429), z.literal(503)]), retryAfter: z.int().min(0).max(5).optional() }),
  z.strictObject({ kind: z.literal('redirect-elsewhere'), status: redirectStatus }),
]);

const actions = <T extends z.ZodType>(item: T) => z.array(item).max(200);

// Every field defaults to BASE_SCHEDULE, so a schedule can be written as its difference from
// the default (as reports show it) and files written before a field existed stay valid.
const list = <T>(value: readonly T[]) => () => [...value];
const scheduleSchema = z.strictObject({
  version: z.literal(1).default(1),
  topology: z.enum(['separate-origins', 'same-origin']).default(base.topology),
  as: z
    .strictObject({
      algs: z.array(z.string().min(1).max(20)).min(1).max(20).nullable().default(() => (base.as.algs === null ? null : [...base.as.algs])),
      tokenType: tokenType.default(base.as.tokenType),
      tokenPath: path.default(base.as.tokenPath),
      tokenQuery: query.nullable().default(base.as.tokenQuery),
      tokenRedirect: redirect.default(base.as.tokenRedirect),
      accessTokens: accessTokens.default(() => ({ ...base.as.accessTokens })),
      initialNonce: nonce.nullable().default(base.as.initialNonce),
      tokenRequests: actions(tokenAction).default(list(base.as.tokenRequests)),
      then: z
        .discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('ok') }),
          z.strictObject({ kind: z.literal('invalid-dpop-proof') }),
          z.strictObject({ kind: z.literal('use-dpop-nonce'), noncePrefix: nonce }),
        ])
        .default(() => ({ ...base.as.then })),
      tokenLifetime: z.int().min(1).max(86_400).default(base.as.tokenLifetime),
      refreshTokens: z.boolean().default(base.as.refreshTokens),
      enforceAlgs: z.boolean().default(base.as.enforceAlgs),
    })
    .default(() => structuredClone(base.as) as never),
  mcp: z
    .strictObject({
      path: path.default(base.mcp.path),
      query: query.nullable().default(base.mcp.query),
      initialNonce: nonce.nullable().default(base.mcp.initialNonce),
      post: actions(mcpAction).default(list(base.mcp.post)),
      get: actions(mcpAction).default(list(base.mcp.get)),
      delete: actions(mcpAction).default(list(base.mcp.delete)),
      then: z
        .discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('ok') }),
          z.strictObject({ kind: z.literal('invalid-token') }),
          z.strictObject({ kind: z.literal('use-dpop-nonce'), noncePrefix: nonce }),
        ])
        .default(() => ({ ...base.mcp.then })),
      challenge: z.enum(['DPoP', 'DPoP+Bearer', 'Bearer']).default(base.mcp.challenge),
      challengeFormat: challengeFormat.default(() => ({ ...DEFAULT_CHALLENGE_FORMAT })),
      boundTokensRequired: z.boolean().nullable().default(base.mcp.boundTokensRequired),
      redirect: redirect.default(base.mcp.redirect),
    })
    .default(() => structuredClone(base.mcp) as never),
  plan: z
    .array(z.array(z.enum(['tools/list', 'tools/call', 'ping', 'resources/list', 'prompts/list'])).min(1).max(10))
    .max(50)
    .default(() => base.plan.map((step) => [...step])),
  responseDelays: z
    .array(z.int('must be whole milliseconds').min(0, 'must be 0 to 2000 ms').max(2000, 'must be 0 to 2000 ms'))
    .max(200, 'at most 200 delays')
    .default(() => [...base.responseDelays]),
});

/** Most MCP calls a plan may ask for in one run. */
export const MAX_PLANNED_CALLS = 100;

/** Every nonce a schedule names, so they can be told apart in a trace. */
function namedNonces(s: Schedule): string[] {
  const list: string[] = [];
  const push = (v: string | null) => v !== null && list.push(v);
  push(s.as.initialNonce);
  push(s.mcp.initialNonce);
  for (const a of [...s.as.tokenRequests, ...s.mcp.post, ...s.mcp.get, ...s.mcp.delete]) if ('nonce' in a) push(a.nonce);
  return list;
}

/**
 * Validates a schedule read from JSON. Every field left out takes its
 * BASE_SCHEDULE value, so `{"as": {"tokenType": "Bearer"}}` is a whole
 * schedule (a report's "difference from the default" can be replayed as it
 * is), and files written before a field existed stay valid. Nonces must be distinct
 * across the whole schedule: the judges tell which server issued a nonce, and
 * when, by its value. The paths each listener serves must be distinct.
 */
export function parseSchedule(input: unknown): Schedule {
  const result = scheduleSchema.safeParse(input);
  if (!result.success) throw new ScheduleError(`invalid schedule:\n${z.prettifyError(result.error)}`);
  const schedule = result.data as Schedule;
  if (schedule.as.tokenPath === schedule.mcp.path) throw new ScheduleError('invalid schedule: as.tokenPath and mcp.path must differ');
  // RFC 9449 §7.2: a resource that challenges with Bearer only accepts bound tokens as bearer
  // tokens, so it cannot also require DPoP-bound tokens (RFC 9728 dpop_bound_access_tokens_required).
  if (schedule.mcp.challenge === 'Bearer' && schedule.mcp.boundTokensRequired === true) {
    throw new ScheduleError('invalid schedule: mcp.challenge "Bearer" (a resource that takes tokens as bearer tokens) contradicts mcp.boundTokensRequired true; use false or null');
  }
  const collision = pathCollisions(schedule)[0];
  if (collision !== undefined) {
    const [a, b] = collision;
    const where = schedule.topology === 'same-origin' ? 'on the shared origin (topology same-origin)' : 'on one server';
    throw new ScheduleError(`invalid schedule: ${a.what} and ${b.what} are both ${JSON.stringify(a.path)} ${where}; every served path must be distinct`);
  }
  // Keeps a conformant client well below the per-run request cap, so hitting it always means a storm.
  const planned = schedule.plan.reduce((n, step) => n + step.length, 0);
  if (planned > MAX_PLANNED_CALLS) throw new ScheduleError(`invalid schedule: the plan has ${planned} calls; at most ${MAX_PLANNED_CALLS}`);
  const nonces = namedNonces(schedule);
  const dup = nonces.find((n, i) => nonces.indexOf(n) !== i);
  if (dup !== undefined) throw new ScheduleError(`invalid schedule: nonce ${JSON.stringify(dup)} is used twice; every nonce must be distinct`);
  const prefixes = [schedule.as.then, schedule.mcp.then].flatMap((t) => ('noncePrefix' in t ? [t.noncePrefix] : []));
  const clash = prefixes.find((p) => nonces.some((n) => n.startsWith(p)) || prefixes.filter((q) => q.startsWith(p)).length > 1);
  if (clash !== undefined) throw new ScheduleError(`invalid schedule: noncePrefix ${JSON.stringify(clash)} could produce a nonce used elsewhere`);
  return schedule;
}

/** Reads and validates a schedule file; errors name the file. */
export async function loadScheduleFile(file: string): Promise<Schedule> {
  const json = await readJsonFile(file, 'schedule', (message) => new ScheduleError(message));
  // A stored report or corpus entry carries its schedule under `schedule`.
  const candidate = typeof json === 'object' && json !== null && 'schedule' in json && !('version' in json) ? (json as { schedule: unknown }).schedule : json;
  try {
    return parseSchedule(candidate);
  } catch (err) {
    throw new ScheduleError(`schedule ${file}: ${(err as Error).message}`);
  }
}
