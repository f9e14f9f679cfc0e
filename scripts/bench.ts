// `npm run bench`: how fast the fuzzer runs, and where the time goes, so every change to the
// world or the search loop is measured (see README "Benchmark"). Prints a table as each
// scenario finishes and writes reports/bench.json (an array of BenchResult, src/bench/result.ts).
//
// Flags: --only <text> (repeatable) runs the scenarios whose name contains one of the texts;
// --scale <f> multiplies every run count (0.1 for a quick look; 1, the default, is the nightly
// size: about 10 minutes on 2 cores); --seeds <n> seeds per broken client (default 5); --seed <n>
// (default 1); --out <file> (default reports/bench.json); --list prints the scenarios.
// Exit status: 0 done, 2 usage or infrastructure error.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult } from '../src/bench/result.ts';
import { benchScenarios, runScenario } from '../src/bench/scenarios.ts';
import { benchRow, formatBenchTable } from '../src/bench/table.ts';
import { warmUp } from '../src/bench/warm-up.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function usage(): string {
  return 'Usage: npm run bench -- [--only <text>]… [--scale <f>] [--seeds <n>] [--seed <n>] [--out <file>] [--list]\n';
}

function positive(name: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      scale: { type: 'string' },
      seeds: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(usage());
    return 0;
  }
  const plan = {
    root: ROOT,
    scale: positive('scale', values.scale, 1, false),
    catchSeeds: positive('seeds', values.seeds, 5, true),
    seed: positive('seed', values.seed, 1, true),
    cores: availableParallelism(),
  };
  const only = values.only;
  const scenarios = benchScenarios(plan).filter((s) => !only || only.some((text) => s.name.includes(text)));
  if (scenarios.length === 0) throw new Error(`no scenario matches --only ${only?.map((t) => JSON.stringify(t)).join(', --only ')}; see --list`);
  if (values.list) {
    process.stdout.write(`${scenarios.map((s) => s.name).join('\n')}\n`);
    return 0;
  }
  const out = path.resolve(values.out ?? path.join(ROOT, 'reports', 'bench.json'));
  await mkdir(path.dirname(out), { recursive: true });
  process.stdout.write(`${scenarios.length} scenario(s), scale ${plan.scale}, seed ${plan.seed}, ${plan.cores} core(s), Node ${process.version}\n`);
  if (scenarios.some((s) => s.kind !== 'throughput' || s.spec.target.kind !== 'command')) {
    const runs = Math.max(1, Math.round(100 * plan.scale));
    process.stdout.write(`warm-up: ${runs} generated run(s) in-process, not measured\n`);
    await warmUp(runs, plan.seed);
  }
  const results: BenchResult[] = [];
  for (const scenario of scenarios) {
    const result = await runScenario(scenario);
    results.push(result);
    process.stdout.write(`${benchRow(result).join(' · ')}\n`);
    // Written after every scenario: a long bench stopped halfway keeps what it measured.
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  }
  process.stdout.write(`\n${formatBenchTable(results)}\n\nWritten: ${path.relative(process.cwd(), out) || out}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n${usage()}`);
    process.exit(2);
  },
);
