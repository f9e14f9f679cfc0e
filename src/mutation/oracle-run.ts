/**
 * One oracle run: the client against one schedule, judged, reduced to a
 * verdict (run-verdict.ts). Used by the baseline pass and by the Stryker
 * workers, so both judge a run the same way.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JudgeOptions } from '../checks/types.ts';
import type { ClientTarget, ModuleClient } from '../driver/types.ts';
import type { FailOn } from '../runner/confirm.ts';
import { runOnce } from '../runner/run-once.ts';
import type { Schedule } from '../schedule/types.ts';
import { MutationError } from './errors.ts';
import type { OracleClientSpec } from './oracle-plan.ts';
import { importModule } from '../driver/typescript-loader.ts';
import { verdictOfDriverError, verdictOfRun, type RunVerdict } from './run-verdict.ts';

/** A client ready to run: in-process (loaded once) or a command. */
export type OracleClient = ClientTarget;

/** Loads an in-process client's `runClient` once; a command needs nothing. */
export async function loadOracleClient(client: OracleClientSpec): Promise<OracleClient> {
  if (client.kind === 'command') return { kind: 'command', command: client.command };
  const loaded: unknown = await importModule(pathToFileURL(path.resolve(client.path)).href);
  const run = typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, 'runClient') : undefined;
  if (typeof run !== 'function') throw new MutationError(`client module ${client.path} does not export runClient(serverUrl, options)`);
  return { kind: 'function', name: client.path, run: run as ModuleClient };
}

export interface OracleRunSettings {
  readonly judge: JudgeOptions;
  readonly failOn: FailOn;
  readonly timeoutMs: number;
}

export async function runOracleTest(client: OracleClient, schedule: Schedule, settings: OracleRunSettings): Promise<RunVerdict> {
  try {
    const result = await runOnce({ target: client, schedule, timeoutMs: settings.timeoutMs, judge: settings.judge });
    return verdictOfRun(result, settings.failOn);
  } catch (error) {
    return verdictOfDriverError(error);
  }
}
