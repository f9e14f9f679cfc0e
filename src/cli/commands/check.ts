import { useColor } from '../color.ts';
import { describeTarget } from '../../driver/describe-target.ts';
import path from 'node:path';
import { CHECK_IDS, isCheckId, type CheckId } from '../../checks/registry.ts';
import { DEFAULT_JUDGE_OPTIONS, type Profile } from '../../checks/types.ts';
import { DriverError, type ClientTarget } from '../../driver/types.ts';
import { isPresetName, PRESETS } from '../../schedule/presets.ts';
import type { Schedule } from '../../schedule/types.ts';
import { loadScheduleFile } from '../../schedule/validate.ts';
import { clientOf } from '../../api/client.ts';
import { runSchedule } from '../../api/run-schedule.ts';
import { toConformanceChecks } from '../checks-json.ts';
import { formatTable } from '../format-table.ts';
import { defaultOutDir } from '../output-dir.ts';
import { writeFileAtomic, writeJson } from '../../io/atomic-file.ts';
import { intFlag, parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';


export function parseTarget(command: string | undefined, module: string | undefined): ClientTarget {
  if ((command === undefined) === (module === undefined)) throw new UsageError('give exactly one of --command "<cmd>" or --module <path>');
  if (command !== undefined) {
    if (command.trim() === '') throw new UsageError('--command must not be empty');
    return { kind: 'command', command };
  }
  return { kind: 'module', path: module! };
}

export function parseProfile(value: string | undefined): Profile {
  if (value === undefined) return DEFAULT_JUDGE_OPTIONS.profile;
  if (value !== 'sep-1932' && value !== 'rfc9449') throw new UsageError(`--profile must be sep-1932 or rfc9449, got ${JSON.stringify(value)}`);
  return value;
}

export function parseCheckIds(value: string | undefined): CheckId[] {
  if (value === undefined) return [...CHECK_IDS];
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !isCheckId(id));
  if (unknown.length > 0 || ids.length === 0) throw new UsageError(`unknown check id(s): ${unknown.join(', ') || '(none given)'}; see 'dpop-fuzz list'`);
  return ids as CheckId[];
}

interface NamedSchedule {
  readonly schedule: Schedule;
  /** Where it came from, for messages. */
  readonly source: string;
  /** Sub-folder of --out when several run. */
  readonly folder: string;
}

/** The schedules to run: one file, one preset, or every preset (`--preset all`). */
export async function resolveSchedules(preset: string | undefined, file: string | undefined): Promise<NamedSchedule[]> {
  if (preset !== undefined && file !== undefined) throw new UsageError('give --preset or --schedule, not both');
  if (file !== undefined) return [{ schedule: await loadScheduleFile(file), source: file, folder: '' }];
  const name = preset ?? 'dpop';
  if (name === 'all') return Object.entries(PRESETS).map(([n, p]) => ({ schedule: p.schedule, source: `preset ${n}`, folder: n }));
  if (!isPresetName(name)) throw new UsageError(`unknown preset ${JSON.stringify(name)}; known: all, ${Object.keys(PRESETS).join(', ')}`);
  return [{ schedule: PRESETS[name].schedule, source: `preset ${name}`, folder: '' }];
}

/** Flags every client-running command takes: the client, where to write, and how to judge. */
export const CLIENT_RUN_FLAGS = {
  command: { type: 'string' },
  module: { type: 'string' },
  out: { type: 'string' },
  timeout: { type: 'string' },
  profile: { type: 'string' },
  checks: { type: 'string' },
  'max-retries': { type: 'string' },
} as const;

export async function checkCommand(args: readonly string[], signal: AbortSignal): Promise<number> {
  const flags = parseFlags('check', args, {
    ...CLIENT_RUN_FLAGS,
    preset: { type: 'string' },
    schedule: { type: 'string' },
    json: { type: 'boolean' },
  });
  const target = parseTarget(flags.command, flags.module);
  const profile = parseProfile(flags.profile);
  const checks = parseCheckIds(flags.checks);
  const timeoutMs = intFlag('timeout', flags.timeout, 30_000, 100);
  const maxRetries = intFlag('max-retries', flags['max-retries'], DEFAULT_JUDGE_OPTIONS.maxRetries, 0);
  const schedules = await resolveSchedules(flags.preset, flags.schedule);
  const outRoot = flags.out ?? defaultOutDir('check', new Date());
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const color = useColor(process.stdout);
  let failed = false;
  const summary: string[] = [];
  const jsonByFolder: Record<string, unknown> = {};
  for (const { schedule, source, folder } of schedules) {
    if (signal.aborted) break;
    const outDir = path.join(outRoot, folder);
    log(`dpop-fuzz: running ${describeTarget(target)} against ${source}`);
    const { results, trace, outcome } = await runSchedule(clientOf(target), schedule, { timeoutMs, checks, profile, maxRetries, signal });
    const conformance = toConformanceChecks(results, new Date().toISOString());
    // Written before anything is printed: a failure is on disk the moment it is known.
    await writeJson(path.join(outDir, 'checks.json'), conformance);
    await writeJson(path.join(outDir, 'trace.json'), trace);
    await writeJson(path.join(outDir, 'schedule.json'), schedule);
    await writeFileAtomic(path.join(outDir, 'client-stdout.txt'), outcome.stdout);
    await writeFileAtomic(path.join(outDir, 'client-stderr.txt'), outcome.stderr);
    failed ||= results.some((r) => r.status === 'FAILURE');
    const flagged = results.filter((r) => r.status === 'FAILURE' || r.status === 'WARNING').map((r) => `${r.status} ${r.id}`);
    summary.push(`${source.padEnd(34)} ${flagged.length === 0 ? 'clean' : flagged.join(', ')}`);
    if (flags.json) {
      jsonByFolder[folder] = conformance;
      continue;
    }
    const exit = outcome.timedOut ? 'timed out (killed)' : outcome.exitCode === null ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`;
    process.stdout.write(`\n== ${source}\nClient: ${exit}, ${trace.entries.length} requests in ${outcome.durationMs} ms\n\n`);
    if (trace.refused.length > 0) {
      process.stdout.write(`${trace.refused.length} request(s) were refused before the servers saw them (${trace.refused.map((r) => r.reason).join(', ')}).\n\n`);
    }
    process.stdout.write(`${formatTable(results, color)}\n\nResults in ${outDir}\n`);
  }
  // One JSON document: the checks of the single run, or an object keyed by preset.
  if (flags.json) process.stdout.write(`${JSON.stringify(schedules.length === 1 ? jsonByFolder[''] : jsonByFolder, null, 2)}\n`);
  if (schedules.length > 1 && !flags.json) process.stdout.write(`\nSummary\n${summary.join('\n')}\n`);
  if (signal.aborted) throw new DriverError('interrupted; results written so far are in ' + outRoot);
  return failed ? 1 : 0;
}
