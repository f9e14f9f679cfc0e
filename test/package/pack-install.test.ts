import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a user gets it: `npm pack` (which builds dist/), installed
 * into a copy of examples/vitest-project outside this repository, then the
 * CLI, the library and the vitest helper used from there.
 */
const ROOT = path.resolve('.');
const VERSION = (JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment of a user's shell: nothing of this test run, npm script or vitest worker leaks in. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|npm_|NODE_OPTIONS$|TEST$|FORCE_COLOR$)/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', CI: 'true', ...extra };
}

function exec(file: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}, timeout = 180_000): Promise<Result> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(file, [...args], { cwd, timeout, env: userEnv(extra), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? -1 : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

const npm = (args: string[], cwd: string, extra?: Record<string, string>) => exec('npm', args, cwd, extra);
const npx = (args: string[], cwd: string, extra?: Record<string, string>) => exec('npx', ['--no-install', ...args], cwd, extra);

let work = '';
let tarball = '';
let packed: string[] = [];
let project = '';

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'dpop-fuzz-pack-'));
  const pack = await npm(['pack', '--json', '--pack-destination', work], ROOT);
  expect(pack.code, pack.stderr).toBe(0);
  // npm prints the build's output before the JSON.
  const info = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path);
  project = path.join(work, 'my-mcp-client');
  await cp(path.join(ROOT, 'examples', 'vitest-project'), project, { recursive: true });
  // The example's devDependencies (vitest, typescript, @types/node) come from npm's cache when it has them.
  const install = await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the compiled library, the CLI and the hand-picked corpus, and no tests, fixtures or sources', async () => {
    const handPicked = (await readdir(path.join(ROOT, 'corpus', 'hand-picked'))).filter((f) => f.endsWith('.json'));
    expect(handPicked.length).toBeGreaterThan(10);
    for (const f of handPicked) expect(packed).toContain(`corpus/hand-picked/${f}`);
    for (const f of ['package.json', 'README.md', 'bin/dpop-fuzz.js', 'bin/load.js', 'dist/index.js', 'dist/index.d.ts', 'dist/vitest.js', 'dist/reference-clients.js', 'dist/cli/main.js', 'dist/runner/threads/fuzz-thread-boot.mjs']) {
      expect(packed).toContain(f);
    }
    const unwanted = packed.filter((f) => /^(src|test|properties|examples|scripts|reports|results|\.ci)\/|^corpus\/counterexamples\/|\.test\.|fixtures\//.test(f));
    expect(unwanted).toEqual([]);
  });
});

describe('installed as a dependency in a project of its own', () => {
  it('prints its version and its help, the help in well under a second', async () => {
    const bin = path.join(project, 'node_modules', '.bin', 'dpop-fuzz');
    const version = await exec(bin, ['--version'], project);
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    // The fastest of three, so that a busy machine does not decide it.
    const helps = [await exec(bin, ['--help'], project), await exec(bin, ['--help'], project), await exec(bin, ['--help'], project)];
    expect(helps[0]!.stdout).toMatch(/^dpop-fuzz — find DPoP/);
    expect(Math.min(...helps.map((h) => h.ms))).toBeLessThan(1000);
  });

  it('checks an in-process JavaScript client', async () => {
    await writeFile(path.join(project, 'client.mjs'), "export { referenceClient as runClient } from 'mcp-dpop-fuzz/clients';\n");
    const r = await npx(['dpop-fuzz', 'check', '--module', 'client.mjs', '--preset', 'dpop-nonce', '--out', 'check-out'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 FAILURE/);
  });

  it('runs the hand-picked schedules first with no corpus of its own, a TypeScript client on two threads', async () => {
    const r = await npx(['dpop-fuzz', 'run', '--module', 'src/client.ts', '--runs', '4', '--seed', '1', '--workers', '2', '--threads', '2', '--quiet', '--json', '--out', 'run-out'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/on 2 threads, 16 hand-picked schedule\(s\) first/);
    expect(JSON.parse(r.stdout)).toMatchObject({ exitCode: 0, runs: 4 + 16, bugs: [] });
    // Nothing was written into the project but the report folder it was asked for.
    expect(existsSync(path.join(project, 'corpus'))).toBe(false);
  });

  it('finds a broken command client, saves the counterexample in the project\'s corpus and exits 1', async () => {
    const broken = `node ${path.join('node_modules', 'mcp-dpop-fuzz', 'bin', 'broken-client.js')} jti-counter`;
    const r = await npx(['dpop-fuzz', 'run', '--command', broken, '--runs', '6', '--seed', '1', '--workers', '1', '--no-hand-picked', '--stop-on-first', '--confirm', '1', '--max-shrink-runs', '5', '--quiet', '--out', 'broken-out'], project);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAILURE sep-1932-client-unique-jti/);
    const saved = await readdir(path.join(project, 'corpus', 'counterexamples'));
    expect(saved.some((f) => /^unique-jti-[0-9a-f]{12}\.json$/.test(f))).toBe(true);
  });

  it('says what to install when `mutate` needs Stryker, an optional peer dependency', async () => {
    const r = await npx(['dpop-fuzz', 'mutate', '--module', 'src/client.ts', '--runs', '1'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dpop-fuzz: mutate runs Stryker, which is not installed here: npm install --save-dev @stryker-mutator\/core@\d+\.\d+\.\d+\n$/);
  });

  it('runs from npx with the tarball alone, in an empty folder', async () => {
    const empty = path.join(work, 'empty');
    await mkdir(empty);
    const r = await exec('npx', ['--yes', '--prefer-offline', '--package', tarball, 'dpop-fuzz', '--version'], empty);
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });
});

describe('examples/vitest-project: a DPoP property test in a maintainer\'s vitest suite', () => {
  it('type-checks against the published declarations', async () => {
    const r = await npx(['tsc', '--noEmit'], project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('passes for the reference client', async () => {
    const r = await npx(['vitest', 'run'], project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tests  2 passed \(2\)/);
  });

  it('fails for a broken client with the shrunk counterexample, and its replay command reproduces it', async () => {
    const r = await npx(['vitest', 'run'], project, { DPOP_FAULT: 'jti-counter' });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(1);
    expect(out).toMatch(/failed DPoP fuzzing: 1 bug\(s\) in \d+ runs \(seed 1932\)/);
    expect(out).toMatch(/FAILURE sep-1932-client-unique-jti \(found at run \d+, \d+ shrinks, reproduced 3\/3\)/);
    expect(out).toMatch(/#\d+ POST \/mcp → 200: jti=/);
    expect(out).toMatch(/shrunk schedule \(what differs from the default\): \{/);
    // The fast-check recipe fails too, with fast-check's own report of its seed.
    expect(out).toMatch(/follows every nonce challenge/);
    expect(out).toMatch(/seed: 9449/);
    const replay = /replay: npx dpop-fuzz replay '(\.dpop-fuzz\/unique-jti-[0-9a-f]{12}\.json)' --module 'src\/client\.ts'/.exec(out);
    expect(replay, out).not.toBeNull();
    const again = await npx(['dpop-fuzz', 'replay', replay![1]!, '--module', 'src/client.ts'], project, { DPOP_FAULT: 'jti-counter' });
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/FAILURE\s+sep-1932-client-unique-jti/);
    const fixed = await npx(['dpop-fuzz', 'replay', replay![1]!, '--module', 'src/client.ts'], project);
    expect(fixed.code, fixed.stderr).toBe(0);
  });
});
