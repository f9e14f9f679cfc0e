import { referenceTarget } from '../clients/target.ts';
import { DEFAULT_MODULE_WORKERS } from '../runner/fuzz-options.ts';
import { timedFuzz } from './timed-fuzz.ts';

/**
 * Runs the reference client in-process on generated schedules, unmeasured,
 * before the first scenario. Loading and compiling the modules otherwise
 * lands in whichever scenario comes first: at a few hundred runs, a third of
 * its CPU per run.
 */
export async function warmUp(runs: number, seed: number): Promise<void> {
  await timedFuzz({ target: referenceTarget(), clientName: 'warm-up', runs, seed, workers: DEFAULT_MODULE_WORKERS });
}
