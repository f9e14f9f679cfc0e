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

/** One Stryker "test": a schedule the client is run against. */
export interface OracleTest {
  /** Stable: `<corpus folder>/<path>`, `generated/<seed>/<index>`, or an official scenario (`auth/dpop`). */
  readonly id: string;
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
  /** Absolute module path (in-process) or a shell command (one process per run). */
  readonly client: { readonly kind: 'module'; readonly path: string } | { readonly kind: 'command'; readonly command: string };
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

function relativeTo(dir: string, file: string): string {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return (file.startsWith(prefix) ? file.slice(prefix.length) : file).replace(/\\/g, '/');
}

export async function readPlan(file: string): Promise<OraclePlan> {
  const json = await readJsonFile(file, 'mutation plan', (message) => new MutationError(message));
  if (typeof json !== 'object' || json === null || Reflect.get(json, 'format') !== PLAN_FORMAT) throw new MutationError(`${file} is not a ${PLAN_FORMAT} file`);
  return json as OraclePlan;
}
