/**
 * Before any mutant: run the oracle's schedules against the unmutated
 * package, several times each, and record what already fails. The SDK under
 * test has bugs of its own (and races); a mutant is killed only by a failure
 * its schedule never showed unmutated, so a known bug or a flaky check never
 * counts as a kill.
 */
import { describeTarget } from '../driver/describe-target.ts';
import type { Schedule } from '../schedule/types.ts';
import { mapPool } from '../official/exec.ts';
import { MutationError } from './errors.ts';
import type { OracleTest } from './oracle-plan.ts';
import { runOracleTest, type OracleClient, type OracleRunSettings } from './oracle-run.ts';
import { CLIENT_NO_REQUEST, CLIENT_STRAY_ERROR } from './run-verdict.ts';

export interface BaselineOptions extends OracleRunSettings {
  /** Runs per schedule; the baseline is everything any of them failed. */
  readonly replays: number;
  /** Schedules run at the same time. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** `tests`: each client (an index into `clients`) with each schedule, as oracleTests() lists them. */
export async function baselinePass(clients: readonly OracleClient[], tests: readonly { id: string; client: number; schedule: Schedule }[], options: BaselineOptions): Promise<OracleTest[]> {
  let done = 0;
  // A stray error (nobody awaited it) cannot be pinned on one of the concurrent runs: every run
  // in flight gets it in its baseline, so the Stryker workers, which do see it per run, never
  // count it as a kill when the unmutated package produces it.
  const inFlight = new Set<Set<string>>();
  const onStray = (): void => {
    for (const failed of inFlight) failed.add(CLIENT_STRAY_ERROR);
  };
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
  let judged: OracleTest[];
  try {
    judged = await mapPool(tests, Math.max(1, options.concurrency), async ({ id, client, schedule }): Promise<OracleTest> => {
      const target = clients[client];
      if (target === undefined) throw new MutationError(`test ${id} names no client`);
      if (options.signal?.aborted) throw new MutationError('interrupted');
      const failed = new Set<string>();
      inFlight.add(failed);
      try {
        for (let r = 0; r < options.replays; r++) for (const key of (await runOracleTest(target, schedule, options)).keys()) failed.add(key);
        await new Promise((resolve) => setImmediate(resolve));
      } finally {
        inFlight.delete(failed);
      }
      options.onProgress?.(++done, tests.length);
      return { id, client, schedule, baseline: [...failed].sort() };
    });
  } finally {
    process.off('unhandledRejection', onStray);
    process.off('uncaughtException', onStray);
  }
  for (let c = 0; c < clients.length; c++) {
    const own = judged.filter((t) => t.client === c);
    if (own.length > 0 && own.every((t) => t.baseline.includes(CLIENT_NO_REQUEST))) {
      throw new MutationError(`the client ${describeTarget(clients[c]!)} never reached the test servers on the unmutated package; check it with dpop-fuzz check first`);
    }
  }
  return judged;
}
