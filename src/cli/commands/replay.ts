import { useColor } from '../color.ts';
import { REPLAY_HELP } from '../help/replay.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_JUDGE_OPTIONS } from '../../checks/types.ts';
import { CORPUS_FORMAT } from '../../corpus/entry.ts';
import { loadCorpusFile } from '../../corpus/store.ts';
import type { ClientTarget } from '../../driver/types.ts';
import { clientOf } from '../../api/client.ts';
import { runSchedule } from '../../api/run-schedule.ts';
import type { Schedule } from '../../schedule/types.ts';
import { parseSchedule, ScheduleError } from '../../schedule/validate.ts';
import { toConformanceChecks } from '../checks-json.ts';
import { formatTable } from '../format-table.ts';
import { writeFileAtomic, writeJson } from '../../io/atomic-file.ts';
import { intFlag, parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';
import { CLIENT_RUN_FLAGS, parseCheckIds, parseProfile, parseTarget } from './check.ts';


interface Replayable {
  readonly label: string;
  readonly schedule: Schedule;
  /** The client recorded with it, if any. */
  readonly client: ClientTarget | null;
}

/** `module:<path>` → module target; `any` → none; anything else is a command. */
function recordedTarget(client: string | undefined, kind?: string): ClientTarget | null {
  if (client === undefined || client === 'any') return null;
  if (kind === 'module' || client.startsWith('module:')) return { kind: 'module', path: client.replace(/^module:/, '') };
  if (kind === 'function') return null;
  return { kind: 'command', command: client };
}

/** Reads what to replay from a report, a corpus entry or a schedule file. */
async function loadReplayables(file: string): Promise<Replayable[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code ? `cannot read ${file}: ${code}` : `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (record.format === CORPUS_FORMAT) {
    const entry = await loadCorpusFile(file);
    return [{ label: entry.title, schedule: entry.schedule, client: recordedTarget(entry.client) }];
  }
  if (record.tool !== undefined && Array.isArray(record.failures)) {
    const client = record.client as { kind?: string; name?: string } | undefined;
    const target = recordedTarget(client?.name, client?.kind);
    const items = [...(record.failures as unknown[]), ...((record.flaky as unknown[] | undefined) ?? [])];
    if (items.length === 0) throw new UsageError(`${file} is a report without counterexamples: nothing to replay`);
    return items.map((item, i) => {
      const f = item as { schedule?: unknown; checkIds?: unknown; verdict?: unknown };
      try {
        return { label: `counterexample ${i + 1} (${String(f.verdict)}: ${Array.isArray(f.checkIds) ? f.checkIds.join(', ') : '?'})`, schedule: parseSchedule(f.schedule), client: target };
      } catch (err) {
        throw new ScheduleError(`${file}: counterexample ${i + 1}: ${(err as Error).message}`);
      }
    });
  }
  const candidate = 'schedule' in record && !('version' in record) ? record.schedule : json;
  try {
    return [{ label: path.basename(file), schedule: parseSchedule(candidate), client: null }];
  } catch (err) {
    throw new ScheduleError(`${file}: ${(err as Error).message}`);
  }
}

export async function replayCommand(args: readonly string[], signal: AbortSignal): Promise<number> {
  const [file, ...rest] = args;
  if (file === undefined || file.startsWith('-')) throw new UsageError(`replay: give the file to replay first\n\n${REPLAY_HELP}`);
  const flags = parseFlags('replay', rest, { ...CLIENT_RUN_FLAGS, times: { type: 'string' } });
  const profile = parseProfile(flags.profile);
  const checks = parseCheckIds(flags.checks);
  const times = intFlag('times', flags.times, 1);
  const timeoutMs = intFlag('timeout', flags.timeout, 20_000, 100);
  const maxRetries = intFlag('max-retries', flags['max-retries'], DEFAULT_JUDGE_OPTIONS.maxRetries, 0);
  const items = await loadReplayables(file);
  const given = flags.command !== undefined || flags.module !== undefined ? parseTarget(flags.command, flags.module) : null;
  const color = useColor(process.stdout);
  let failed = false;
  for (const [i, item] of items.entries()) {
    const target = given ?? item.client;
    if (target === null) throw new UsageError(`${file} does not name a client to replay against; give --command "<cmd>" or --module <path>`);
    for (let n = 1; n <= times && !signal.aborted; n++) {
      const { results, trace, outcome } = await runSchedule(clientOf(target), item.schedule, { timeoutMs, checks, profile, maxRetries, signal });
      const failures = results.filter((r) => r.status === 'FAILURE');
      failed ||= failures.length > 0;
      if (flags.out !== undefined) {
        const dir = path.join(flags.out, items.length > 1 || times > 1 ? `${i + 1}-${n}` : '');
        await writeJson(path.join(dir, 'checks.json'), toConformanceChecks(results, new Date().toISOString()));
        await writeJson(path.join(dir, 'trace.json'), trace);
        await writeJson(path.join(dir, 'schedule.json'), item.schedule);
        await writeFileAtomic(path.join(dir, 'client-stderr.txt'), outcome.stderr);
      }
      const exit = outcome.timedOut ? 'timed out (killed)' : outcome.exitCode === null ? `stopped` : `exit code ${outcome.exitCode}`;
      process.stdout.write(`\n== ${item.label}${times > 1 ? ` (replay ${n}/${times})` : ''}\nClient: ${exit}, ${trace.entries.length} requests\n\n${formatTable(results, color)}\n`);
    }
  }
  if (signal.aborted) return 130;
  return failed ? 1 : 0;
}
