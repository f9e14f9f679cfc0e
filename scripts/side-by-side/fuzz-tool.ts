/**
 * Running `dpop-fuzz run` on one client and reading its report.json.
 */
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { exec } from '../../src/official/exec.ts';
import { parseFuzzRun } from './fuzz.ts';
import type { FuzzResult } from './types.ts';

export interface FuzzSettings {
  readonly root: string;
  readonly runs: number;
  readonly seed: number;
  /** Folder holding hand-picked/ to copy for each client, or null for `--no-corpus`. */
  readonly corpusSource: string | null;
}

/**
 * One search per client (`--workers 1`): the script runs two clients at a
 * time, so two searches keep the two cores busy without oversubscribing them,
 * and each tool gets one core per client, as the official suite (one client
 * process at a time) does. Fixed --workers also keeps the schedules of a seed
 * the same from one machine to the next.
 */
export function fuzzFlags(settings: Pick<FuzzSettings, 'runs' | 'seed'>): string[] {
  return ['--runs', String(settings.runs), '--seed', String(settings.seed), '--workers', '1', '--quiet'];
}

/** How many schedules the hand-picked corpus holds (they run before the generated ones). */
export async function countCorpus(corpusSource: string): Promise<number> {
  const names = await readdir(path.join(corpusSource, 'hand-picked'), { recursive: true });
  return names.map(String).filter((n) => n.endsWith('.json')).length;
}

/**
 * A private copy of the hand-picked corpus: dpop-fuzz writes the counterexamples
 * it finds into its corpus folder, and neither the repository's corpus nor
 * another client's run may see them (that would turn one client's bug into a
 * hint for the next).
 */
async function privateCorpus(source: string, dir: string): Promise<string> {
  const corpus = path.join(dir, 'corpus');
  await cp(path.join(source, 'hand-picked'), path.join(corpus, 'hand-picked'), { recursive: true });
  return corpus;
}

async function readReport(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Hard guard against a hung run: far above what RUNS × the 20 s per-run timeout plus shrinking needs. */
function guardMs(runs: number): number {
  return Math.max(60 * 60_000, runs * 60_000);
}

/** Fuzzes `command` with a private output folder (and corpus copy) under `dir`. */
export async function runFuzz(settings: FuzzSettings, command: string, dir: string): Promise<FuzzResult> {
  await mkdir(dir, { recursive: true });
  const out = path.join(dir, 'out');
  const corpusArgs = settings.corpusSource === null ? ['--no-corpus'] : ['--corpus', await privateCorpus(settings.corpusSource, dir)];
  const args = [path.join(settings.root, 'bin', 'dpop-fuzz.js'), 'run', '--command', command, ...fuzzFlags(settings), ...corpusArgs, '--out', out];
  const result = await exec(process.execPath, args, { cwd: settings.root, env: process.env, timeoutMs: guardMs(settings.runs) });
  const stderr = `${result.stderr}${result.spawnError ? `\n${result.spawnError}` : ''}${result.timedOut ? '\ndpop-fuzz: killed: ran too long' : ''}`;
  const parsed = parseFuzzRun({ exitCode: result.exitCode, report: await readReport(path.join(out, 'report.json')), stderr });
  return { ...parsed, exitCode: result.exitCode, wallMs: result.wallMs };
}
