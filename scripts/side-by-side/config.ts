/**
 * The knobs of scripts/side-by-side.ts, read from the environment, and the
 * client filter. Pure functions (the environment is passed in).
 */
import type { ClientSpec } from './types.ts';

/**
 * Default dpop-fuzz runs per client. Measured on the 2-core machine: a
 * subprocess client costs 1.3–2 s of wall-clock time per run with two clients
 * running side by side (node + tsx start-up, both servers), and each bug
 * found adds its shrinking and replays (a handful of runs for a corpus find,
 * ~30 for a generated one). So a client takes (16 hand-picked + RUNS + shrink)
 * runs, and 27 clients two at a time take 27 × (16 + 30 + ~15) × 1.3–2 s / 2
 * ≈ 18–28 minutes with 30.
 */
export const DEFAULT_RUNS = 30;
/** Fixed so two runs of the script generate the same schedules. */
export const DEFAULT_SEED = 1932;
/** Two clients at a time: one per core of the development machine. */
export const DEFAULT_CONCURRENCY = 2;

export type CorpusChoice = 'hand-picked' | 'none';

export interface SideBySideConfig {
  readonly runs: number;
  readonly seed: number;
  /** Substrings; a client runs when its name contains one of them. null: all clients. */
  readonly clients: readonly string[] | null;
  readonly skipOfficial: boolean;
  readonly corpus: CorpusChoice;
  readonly concurrency: number;
  /** Keep the temporary work directory (suite outputs, dpop-fuzz reports, logs). */
  readonly keepWork: boolean;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  return raw !== undefined && raw !== '' && raw !== '0' && raw !== 'false' && raw !== 'no';
}

function corpus(env: Env): CorpusChoice {
  const raw = env.CORPUS?.trim() || 'hand-picked';
  if (raw !== 'hand-picked' && raw !== 'none') throw new ConfigError(`CORPUS must be "hand-picked" or "none", got "${raw}"`);
  return raw;
}

/** `CLIENTS=ath,reference` → ['ath', 'reference']; unset or blank → null (all). */
function clientFilter(env: Env): readonly string[] | null {
  const parts = (env.CLIENTS ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  return parts.length > 0 ? parts : null;
}

/** Reads RUNS, SEED, CLIENTS, SKIP_OFFICIAL, CORPUS, CONCURRENCY and KEEP_WORK; throws `ConfigError` on a bad value. */
export function readConfig(env: Env): SideBySideConfig {
  return {
    runs: integer(env, 'RUNS', DEFAULT_RUNS, 1, 1_000_000),
    seed: integer(env, 'SEED', DEFAULT_SEED, 0, 2_147_483_647),
    clients: clientFilter(env),
    skipOfficial: flag(env, 'SKIP_OFFICIAL'),
    corpus: corpus(env),
    concurrency: integer(env, 'CONCURRENCY', DEFAULT_CONCURRENCY, 1, 64),
    keepWork: flag(env, 'KEEP_WORK'),
  };
}

/** The clients whose name contains one of the filter's substrings (all when there is no filter). */
export function selectClients(all: readonly ClientSpec[], filter: readonly string[] | null): ClientSpec[] {
  return filter === null ? [...all] : all.filter((c) => filter.some((f) => c.name.includes(f)));
}
