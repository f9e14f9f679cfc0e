/**
 * `mcp-dpop-fuzz/vitest`: one line in a vitest suite fuzzes a client's DPoP
 * support. Kept apart from the main entry point so that importing the
 * library never loads vitest.
 */
import { it } from 'vitest';
import type { DpopClient } from './api/client.ts';
import { assertSurvivesDpopFuzzing, type SurviveOptions } from './api/survive.ts';

export { assertSurvivesDpopFuzzing, DpopFuzzFailure, type SurviveOptions } from './api/survive.ts';

export interface ItSurvivesOptions extends SurviveOptions {
  /** The test's name (default "survives DPoP fuzzing"). */
  readonly name?: string;
  /**
   * The test's timeout in ms (default 10 minutes: shrinking a bug takes
   * client runs too). Unless `timeLimitMs` says otherwise, generating stops
   * at half of it, so that the shrinks finish and the report comes back.
   */
  readonly testTimeoutMs?: number;
}

/**
 * Declares a vitest test that fuzzes the client (`fuzz` with `runs`, 100 by
 * default, after the hand-picked schedules) and fails with every bug's
 * shrunk schedule, failed checks and evidence, and replay command.
 *
 * @example
 * itSurvivesDpopFuzzing(runClient, { runs: 200, seed: 42 });
 */
export function itSurvivesDpopFuzzing(client: DpopClient, options: ItSurvivesOptions = {}): void {
  const { name = 'survives DPoP fuzzing', testTimeoutMs = 600_000, ...survive } = options;
  it(name, async ({ signal }) => {
    // vitest aborts `signal` when the test times out or the run is cancelled: the clients and servers stop with it.
    const stop = survive.signal ? AbortSignal.any([signal, survive.signal]) : signal;
    await assertSurvivesDpopFuzzing(client, { timeLimitMs: Math.floor(testTimeoutMs / 2), ...survive, signal: stop });
  }, testTimeoutMs);
}
