/**
 * The oracle of a mutation run, written once by `dpop-fuzz mutate` and read
 * by every Stryker worker: which client exercises the package, the tests
 * (schedules) and, per test, what the unmutated package already fails.
 */
import path from 'node:path';
import fc from 'fast-check';
import type { JudgeOptions } from '../checks/types.ts';
import { readJsonFile } from '../io/read-json-file.ts';
import type { StoredEntry } from '../corpus/store.ts';
import type { FailOn } from '../runner/confirm.ts';
import { scheduleArbitrary } from '../schedule/arbitraries.ts';
import type { Schedule } from '../schedule/types.ts';
import { MutationError } from './errors.ts';

export const PLAN_FORMAT = 'mcp-dpop-fuzz/mutation-plan@1';

/** A client that exercises the package: a module run in-process, or a command (one process per run). */
export type OracleClientSpec = { readonly kind: 'module'; readonly path: string } | { readonly kind: 'command'; readonly command: string };

/** One Stryker "test": a schedule one of the clients is run against. */
export interface OracleTest {
  /**
   * Stable: `<corpus folder>/<path>`, `generated/<seed>/<index>`, or an
   * official scenario (`auth/dpop`); with several clients, prefixed by the
   * client's label (`direct-client: generated/1932/4`).
   */
  readonly id: string;
  /** Index into the plan's clients (0 for the official suite, which brings its own). */
  readonly client: number;
  /** null for the official suite's scenarios (the suite brings its own server). */
  readonly schedule: Schedule | null;
  /**
   * What the unmutated package fails under this schedule (check IDs and
   * client outcomes, see run-verdict.ts), over every baseline replay: a
   * mutant is only killed by something new.
   */
  readonly baseline: readonly string[];
}

/** The official suite as an oracle: its executable and the client command it runs. */
export interface OfficialOracle {
  readonly bin: string;
  readonly pathDirs: readonly string[];
  readonly command: string;
  readonly scenarios: readonly string[];
}

export interface OraclePlan {
  readonly format: typeof PLAN_FORMAT;
  readonly oracle: 'dpop-fuzz' | 'official';
  /** The clients, each run against every schedule: absolute module paths or shell commands. */
  readonly clients: readonly OracleClientSpec[];
  /** The installed package's directory URL, and the copy's folder relative to the Stryker sandbox. */
  readonly redirect: { readonly from: string; readonly copy: string };
  readonly judge: JudgeOptions;
  readonly failOn: FailOn;
  readonly timeoutMs: number;
  readonly tests: readonly OracleTest[];
  readonly official: OfficialOracle | null;
}

/** The oracle's schedules: each corpus in file order, then `runs` generated ones from `seed` (same seed, same schedules). */
export function oracleSchedules(corpora: readonly { dir: string; entries: readonly StoredEntry[] }[], runs: number, seed: number): { id: string; schedule: Schedule }[] {
  const fromCorpus = corpora.flatMap(({ dir, entries }) => entries.map(({ file, entry }) => ({ id: `${path.posix.basename(dir.replace(/\/+$/, ''))}/${relativeTo(dir, file)}`, schedule: entry.schedule })));
  const generated = runs === 0 ? [] : fc.sample(scheduleArbitrary(), { seed, numRuns: runs }).map((schedule, i) => ({ id: `generated/${seed}/${i}`, schedule }));
  return [...fromCorpus, ...generated];
}

/** A short name for a client in test ids: the module's file name, or the command. */
export function clientLabel(client: OracleClientSpec): string {
  return client.kind === 'module' ? path.basename(client.path).replace(/\.[cm]?[jt]s$/, '') : client.command;
}

/** Every client against every schedule; ids carry the client's label only when there are several. */
export function oracleTests(clients: readonly OracleClientSpec[], schedules: readonly { id: string; schedule: Schedule }[]): { id: string; client: number; schedule: Schedule }[] {
  const labels = clients.map(clientLabel);
  const unique = labels.map((label, i) => (labels.indexOf(label) === i && labels.lastIndexOf(label) === i ? label : `${label}#${i + 1}`));
  return clients.flatMap((_, client) => schedules.map(({ id, schedule }) => ({ id: clients.length === 1 ? id : `${unique[client]}: ${id}`, client, schedule })));
}

function relativeTo(dir: string, file: string): string {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return (file.startsWith(prefix) ? file.slice(prefix.length) : file).replace(/\\/g, '/');
}

export async function readPlan(file: string): Promise<OraclePlan> {
  const json = await readJsonFile(file, 'mutation plan', (message) => new MutationError(message));
  if (typeof json !== 'object' || json === null || Reflect.get(json, 'format') !== PLAN_FORMAT) throw new MutationError(`${file} is not a ${PLAN_FORMAT} file`);
  return json as OraclePlan;
}
