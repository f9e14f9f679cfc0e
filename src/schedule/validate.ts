import { readFile } from 'node:fs/promises';
import { z } from 'zod';
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
]);

const actions = <T extends z.ZodType>(item: T) => z.array(item).max(200);

const scheduleSchema = z.strictObject({
  version: z.literal(1),
  as: z.strictObject({
    algs: z.array(z.string().min(1).max(20)).min(1).max(20),
    tokenType,
    tokenPath: path,
    initialNonce: nonce.nullable(),
    tokenRequests: actions(tokenAction),
    then: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('ok') }),
      z.strictObject({ kind: z.literal('invalid-dpop-proof') }),
      z.strictObject({ kind: z.literal('use-dpop-nonce'), noncePrefix: nonce }),
    ]),
    tokenLifetime: z.int().min(1).max(86_400),
    refreshTokens: z.boolean(),
  }),
  mcp: z.strictObject({
    path,
    query: z.string().regex(/^[\x21-\x7E]*$/, 'must be printable ASCII').refine((q) => !q.includes('#'), 'must not contain #').nullable(),
    initialNonce: nonce.nullable(),
    post: actions(mcpAction),
    get: actions(mcpAction),
    delete: actions(mcpAction),
    then: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('ok') }),
      z.strictObject({ kind: z.literal('invalid-token') }),
      z.strictObject({ kind: z.literal('use-dpop-nonce'), noncePrefix: nonce }),
    ]),
    challenge: z.enum(['DPoP', 'DPoP+Bearer', 'Bearer']),
  }),
  plan: z.array(z.array(z.enum(['tools/list', 'tools/call', 'ping', 'resources/list', 'prompts/list'])).min(1).max(10)).max(50),
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
 * Validates a schedule read from JSON. Nonces must be distinct across the
 * whole schedule: the judges tell which server issued a nonce, and when, by
 * its value.
 */
export function parseSchedule(input: unknown): Schedule {
  const result = scheduleSchema.safeParse(input);
  if (!result.success) throw new ScheduleError(`invalid schedule:\n${z.prettifyError(result.error)}`);
  const schedule = result.data as Schedule;
  if (schedule.as.tokenPath === schedule.mcp.path) throw new ScheduleError('invalid schedule: as.tokenPath and mcp.path must differ');
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ScheduleError(`cannot read schedule ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScheduleError(`schedule ${file} is not valid JSON: ${(err as Error).message}`);
  }
  // A stored report or corpus entry carries its schedule under `schedule`.
  const candidate = typeof json === 'object' && json !== null && 'schedule' in json && !('version' in json) ? (json as { schedule: unknown }).schedule : json;
  try {
    return parseSchedule(candidate);
  } catch (err) {
    throw new ScheduleError(`schedule ${file}: ${(err as Error).message}`);
  }
}
