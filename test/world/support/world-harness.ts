/**
 * Starting and stopping worlds for the tests of the new schedule dimensions,
 * and small raw-HTTP helpers that show what fetch would hide (several header
 * fields of one name, redirects not followed).
 */
import { request } from 'node:http';
import { afterEach } from 'vitest';
import type { CheckResult } from '../../../src/checks/types.ts';
import { DEFAULT_JUDGE_OPTIONS } from '../../../src/checks/types.ts';
import { judge } from '../../../src/checks/judge.ts';
import { scheduleWith } from '../../../src/schedule/defaults.ts';
import type { Schedule } from '../../../src/schedule/types.ts';
import type { TraceEntry } from '../../../src/trace/types.ts';
import { startWorld, type World, type WorldOptions } from '../../../src/world/world.ts';

export type SchedulePatch = Parameters<typeof scheduleWith>[0];

const running: World[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.close()));
});

/** Starts a world for `patch`; it is closed after the test. */
export async function start(patch: SchedulePatch = {}, options: WorldOptions = {}): Promise<{ w: World; schedule: Schedule }> {
  const schedule = scheduleWith(patch);
  const w = await startWorld(schedule, options);
  running.push(w);
  return { w, schedule };
}

/** The last trace entry; throws when there is none. */
export function lastEntry(w: World): TraceEntry {
  const entry = w.trace().entries.at(-1);
  if (!entry) throw new Error('nothing was recorded');
  return entry;
}

/** Judges the world's trace as if a client had exited with `exitCode`. */
export function judged(w: World, schedule: Schedule, exitCode = 0): CheckResult[] {
  return judge({
    trace: w.trace(),
    schedule,
    outcome: { exitCode, signal: null, timedOut: false, stdout: '', stderr: '', durationMs: 1 },
    options: DEFAULT_JUDGE_OPTIONS,
  });
}

/** One check's result. */
export function check(results: readonly CheckResult[], id: string): CheckResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result for ${id}`);
  return found;
}

export interface RawReply {
  readonly status: number;
  /** Header fields exactly as received: name (lowercased) and value, one pair per field line. */
  readonly fields: readonly (readonly [string, string])[];
  readonly body: string;
}

/** One request through node:http: nothing is followed or joined. */
export function rawRequest(url: string, method: string, headers: Record<string, string> = {}, body = ''): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const fields: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) fields.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, fields, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Values of every field named `name` in a raw reply, in order. */
export function fieldValues(reply: RawReply, name: string): string[] {
  return reply.fields.filter(([n]) => n === name).map(([, v]) => v);
}
