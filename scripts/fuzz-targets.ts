// `npm run fuzz:targets`: the nightly job for the published-library targets.
//
// Every `examples/<target>/` with an `expected-failures.yml` is fuzzed
// in-process (its `client.ts` exports `runClient`) under each profile, with
// the target's baseline: known findings do not fail the job, a new one or a
// stale entry does. Reports go to `reports/targets/<target>/<profile>/`; the
// counterexamples to a scratch corpus there (seeded with the hand-picked
// schedules), never into the repository's `corpus/`.
//
// Environment: RUNS (per target and profile, default 3000), SEED (default:
// random, printed by each run), TARGETS (comma-separated names, default all),
// PROFILES (default "sep-1932,rfc9449"), WORKERS (default 4).
// Exit status: 0 all green, 1 some target has a new finding or a stale entry,
// 2 infrastructure error.
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'dpop-fuzz.js');

interface Job {
  readonly target: string;
  readonly profile: string;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The targets that ship a baseline, by directory name. */
async function targets(): Promise<string[]> {
  const names = (await readdir(path.join(ROOT, 'examples'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  const withBaseline: string[] = [];
  for (const name of names.sort()) if (await exists(path.join(ROOT, 'examples', name, 'expected-failures.yml'))) withBaseline.push(name);
  return withBaseline;
}

/** Runs one target under one profile through the CLI, streaming its output; resolves to its exit status. */
async function fuzzTarget(job: Job): Promise<number> {
  const out = path.join(ROOT, 'reports', 'targets', job.target, job.profile);
  const corpus = path.join(out, 'corpus');
  await rm(out, { recursive: true, force: true });
  await mkdir(corpus, { recursive: true });
  await cp(path.join(ROOT, 'corpus', 'hand-picked'), path.join(corpus, 'hand-picked'), { recursive: true });
  const args = [
    BIN,
    'run',
    '--module',
    path.join('examples', job.target, 'client.ts'),
    '--profile',
    job.profile,
    '--runs',
    process.env.RUNS ?? '3000',
    '--workers',
    process.env.WORKERS ?? '4',
    '--expected-failures',
    path.join('examples', job.target, 'expected-failures.yml'),
    '--corpus',
    corpus,
    '--out',
    out,
    ...(process.env.SEED ? ['--seed', process.env.SEED] : []),
  ];
  process.stdout.write(`\n== ${job.target} (${job.profile})\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(2));
    child.on('close', (code) => resolve(code ?? 2));
  });
}

async function main(): Promise<number> {
  const only = process.env.TARGETS?.split(',').map((t) => t.trim()).filter(Boolean);
  const profiles = (process.env.PROFILES ?? 'sep-1932,rfc9449').split(',').map((p) => p.trim());
  const names = (await targets()).filter((t) => !only || only.includes(t));
  if (names.length === 0) {
    process.stderr.write('error: no target with an expected-failures.yml matched\n');
    return 2;
  }
  const results: { job: Job; code: number }[] = [];
  for (const target of names) {
    for (const profile of profiles) {
      const job = { target, profile };
      results.push({ job, code: await fuzzTarget(job) });
    }
  }
  const word = (code: number) => (code === 0 ? 'ok (only known findings)' : code === 1 ? 'NEW FINDING OR STALE ENTRY' : `error (exit ${code})`);
  process.stdout.write(`\n== Summary\n${results.map((r) => `  ${r.job.target} (${r.job.profile}): ${word(r.code)}`).join('\n')}\n`);
  return results.some((r) => r.code !== 0 && r.code !== 1) ? 2 : results.some((r) => r.code === 1) ? 1 : 0;
}

process.exitCode = await main();
